#include "daemon/detect/detector_threads.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "daemon/detect/vehicle_detector.hpp"

namespace roadspeed {

DetectorThreads::Worker::Worker() : rows(std::numeric_limits<std::size_t>::max()) {}

DetectorThreads::DetectorThreads(const Site& site, std::size_t threads)
    : site_(site), order_(site), worker_of_input_(site.inputs.size(), -1) {
  const std::size_t n = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(site.detector_count(), 1));
  for (std::size_t i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
  // The detectors dealt in turn, each with the inputs wired to it.
  for (std::size_t d = 0; d < site.detector_count(); ++d) {
    const std::size_t w = d % n;
    workers_[w]->detectors.push_back(d);
    for (const InputId input : site.detector_inputs(d)) worker_of_input_.at(input) = static_cast<int>(w);
  }
  // Last: a worker starts once its detectors are known.
  for (auto& w : workers_) w->thread = std::thread(run, std::ref(*w), std::cref(site_));
}

DetectorThreads::~DetectorThreads() {
  for (auto& w : workers_) {
    w->jobs.close();
    w->rows.close();
  }
  for (auto& w : workers_) w->thread.join();
}

void DetectorThreads::run(Worker& w, const Site& site) {
  VehicleDetector detector(site, VehicleDetector::Mode::batch, w.detectors);
  while (auto job = w.jobs.pop()) {
    Rows out;
    out.rows = std::move(job->spare);
    try {
      for (const Edge& e : job->edges) detector.push(e, out.rows);
      // Edges of other detectors' inputs never come here: time has passed all the same.
      if (job->last)
        detector.finish(out.rows);
      else
        detector.advance_to(job->reached_ns, out.rows);
      out.from_ns = detector.rows_from_ns();
    } catch (...) {
      out.error = std::current_exception();
    }
    out.last = job->last || out.error;
    job->edges.clear();
    out.spare = std::move(job->edges);
    if (!w.rows.push(std::move(out)) || job->last) return;
  }
}

void DetectorThreads::push(std::span<const Edge> edges, std::vector<Vehicle>& out) {
  if (edges.empty()) return;
  send(edges, false);
  for (auto& w : workers_)
    while (auto batch = w->rows.try_pop()) take(*w, std::move(*batch));
  merge(out);
}

void DetectorThreads::finish(std::vector<Vehicle>& out) {
  send({}, true);
  for (auto& w : workers_)
    while (!w->done) take(*w, std::move(*w->rows.pop()));  // a worker's last batch ends its rows
  merge(out);
}

void DetectorThreads::send(std::span<const Edge> edges, bool last) {
  std::vector<Job> jobs(workers_.size());
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    Job& job = jobs[w];
    job.reached_ns = edges.empty() ? 0 : edges.back().t_ns;
    job.last = last;
    if (auto& spare = workers_[w]->spare_edges; !spare.empty()) {
      job.edges = std::move(spare.back());
      spare.pop_back();
    }
    if (auto& spare = workers_[w]->spare_rows; !spare.empty()) {
      job.spare = std::move(spare.back());
      spare.pop_back();
    }
  }
  for (const Edge& e : edges)
    if (e.input < worker_of_input_.size())
      if (const int w = worker_of_input_[e.input]; w >= 0) jobs[w].edges.push_back(e);
  for (std::size_t w = 0; w < workers_.size(); ++w) workers_[w]->jobs.push(std::move(jobs[w]));
}

void DetectorThreads::take(Worker& w, Rows batch) {
  if (batch.error) std::rethrow_exception(batch.error);
  for (const Vehicle& v : batch.rows) w.pending.push_back(v);
  w.from_ns = batch.from_ns;
  w.done = batch.last;
  batch.rows.clear();
  w.spare_rows.push_back(std::move(batch.rows));
  w.spare_edges.push_back(std::move(batch.spare));
}

// Each worker's rows are in order; the earliest of their fronts goes out once
// no worker can still give an earlier one: it has one waiting (which is not
// earlier), or has finished, or promises only later times. Rows of different
// workers never tie (their lanes differ).
void DetectorThreads::merge(std::vector<Vehicle>& out) {
  for (;;) {
    Worker* next = nullptr;
    int next_rank = 0;
    for (auto& w : workers_) {
      if (w->pending.empty()) continue;
      const Vehicle& v = w->pending.front();
      const int rank = order_.rank(v);
      if (!next || RowOrder::later(next->pending.front().t_ns, next_rank, v.t_ns, rank)) {
        next = w.get();
        next_rank = rank;
      }
    }
    if (!next) return;
    const std::int64_t t = next->pending.front().t_ns;
    for (auto& w : workers_)
      if (w.get() != next && w->pending.empty() && !w->done && w->from_ns <= t) return;
    out.push_back(next->pending.front());
    next->pending.pop_front();
  }
}

}  // namespace roadspeed

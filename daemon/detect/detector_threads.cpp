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
      for (const Edge& e : std::span(job->edges).first(job->count)) detector.push(e, out.rows);
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
  std::vector<Edge*> fill(workers_.size());
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
    // Room for every edge: no capacity check per edge.
    if (job.edges.size() < edges.size()) job.edges.resize(edges.size());
    fill[w] = job.edges.data();
  }
  for (const Edge& e : edges)
    if (e.input < worker_of_input_.size())
      if (const int w = worker_of_input_[e.input]; w >= 0) *fill[w]++ = e;
  for (std::size_t w = 0; w < workers_.size(); ++w) {
    jobs[w].count = static_cast<std::size_t>(fill[w] - jobs[w].edges.data());
    workers_[w]->jobs.push(std::move(jobs[w]));
  }
}

void DetectorThreads::take(Worker& w, Rows batch) {
  if (batch.error) std::rethrow_exception(batch.error);
  w.from_ns = batch.from_ns;
  w.done = batch.last;
  if (!batch.rows.empty())
    w.pending.push_back(std::move(batch.rows));
  else
    w.spare_rows.push_back(std::move(batch.rows));
  w.spare_edges.push_back(std::move(batch.spare));
}

const Vehicle* DetectorThreads::front(const Worker& w) {
  return w.pending.empty() ? nullptr : &w.pending.front()[w.merged];
}

void DetectorThreads::pop_front(Worker& w) {
  if (++w.merged < w.pending.front().size()) return;
  w.merged = 0;
  w.pending.front().clear();
  w.spare_rows.push_back(std::move(w.pending.front()));
  w.pending.pop_front();
}

// Each worker's rows are in order; the earliest of their fronts goes out once
// no worker can still give an earlier one: it has one waiting (which is not
// earlier), or has finished, or promises only later times. Rows of different
// workers never tie (their lanes differ). The earliest front's worker then
// goes on while its rows stay before that bound: one comparison a row.
void DetectorThreads::merge(std::vector<Vehicle>& out) {
  constexpr std::int64_t end_of_time = std::numeric_limits<std::int64_t>::max();
  for (;;) {
    Worker* next = nullptr;
    int next_rank = 0;
    for (auto& w : workers_) {
      const Vehicle* v = front(*w);
      if (!v) continue;
      const int rank = order_.rank(*v);
      if (!next || RowOrder::later(front(*next)->t_ns, next_rank, v->t_ns, rank)) {
        next = w.get();
        next_rank = rank;
      }
    }
    if (!next) return;
    // The bound: the earliest of the other workers' fronts and promises. A
    // promise of rows from `from_ns` on lets out rows strictly before it
    // (rank -1 comes before every lane's).
    std::int64_t bound_ns = end_of_time;
    int bound_rank = 0;
    for (auto& w : workers_) {
      if (w.get() == next) continue;
      if (const Vehicle* v = front(*w)) {
        const int rank = order_.rank(*v);
        if (RowOrder::later(bound_ns, bound_rank, v->t_ns, rank)) bound_ns = v->t_ns, bound_rank = rank;
      } else if (!w->done && RowOrder::later(bound_ns, bound_rank, w->from_ns, -1)) {
        bound_ns = w->from_ns, bound_rank = -1;
      }
    }
    if (!RowOrder::later(bound_ns, bound_rank, front(*next)->t_ns, next_rank)) return;  // must wait
    for (const Vehicle* v = front(*next); v; v = front(*next)) {
      if (v->t_ns > bound_ns || (v->t_ns == bound_ns && order_.rank(*v) > bound_rank)) break;
      out.push_back(*v);
      pop_front(*next);
    }
  }
}

}  // namespace roadspeed

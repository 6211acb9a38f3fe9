// A site's detectors run on threads of their own, their rows merged into the
// interface's order: `roadspeed analyze` on a site of several traps or
// radars uses more than one core for detection, which is most of its work.
//
// The rows are exactly those of one VehicleDetector (batch mode) over the
// whole site (tests/unit/detector_threads_test.cpp): each thread runs a
// VehicleDetector serving only its detectors, which gives those detectors'
// rows in the site detector's order however often it is told the time
// (tests/unit/advance_schedule_test.cpp); the merge then orders the threads'
// rows as VehicleDetector orders its detectors' (RowOrder).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "daemon/detect/row_order.hpp"
#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge.hpp"
#include "drivers/trace/batch_queue.hpp"

namespace roadspeed {

class DetectorThreads {
 public:
  // `threads` workers (at least 1, at most one per detector), the site's
  // detectors dealt to them in turn. `site` must outlive this.
  DetectorThreads(const Site& site, std::size_t threads);
  ~DetectorThreads();  // stops the workers; rows not yet taken are lost
  DetectorThreads(const DetectorThreads&) = delete;
  DetectorThreads& operator=(const DetectorThreads&) = delete;

  std::size_t threads() const { return workers_.size(); }

  // Edges in non-decreasing time order. Appends to `out` the rows that no
  // row still to come can precede, in order.
  void push(std::span<const Edge> edges, std::vector<Vehicle>& out);
  // End of input: appends every row left. Rethrows what failed on a worker.
  void finish(std::vector<Vehicle>& out);

 private:
  // Each side hands the other's buffer back, emptied, for its next batch:
  // memory taken once, not fresh pages for every batch.
  struct Job {
    // edges[0, count): this worker's detectors' edges. The array keeps its
    // size from batch to batch: refilling it constructs nothing.
    std::vector<Edge> edges;
    std::size_t count = 0;
    std::int64_t reached_ns = 0;  // the latest time of the whole batch
    bool last = false;
    std::vector<Vehicle> spare;   // for the rows
  };
  struct Rows {
    std::vector<Vehicle> rows;  // in order
    std::int64_t from_ns = 0;   // every later row has a time at or after this
    bool last = false;
    std::exception_ptr error;
    std::vector<Edge> spare;    // for the edges
  };
  struct Worker {
    std::vector<std::size_t> detectors;
    BatchQueue<Job> jobs{4};  // bounded: the reading waits for the slowest worker
    BatchQueue<Rows> rows;    // unbounded: a worker never waits for the merge
    // Delivered, not merged yet: the batches as they came (rows are not
    // copied again), the first `merged` rows of the front one gone.
    std::deque<std::vector<Vehicle>> pending;
    std::size_t merged = 0;
    std::vector<std::vector<Edge>> spare_edges;
    std::vector<std::vector<Vehicle>> spare_rows;
    std::int64_t from_ns = 0;
    bool done = false;
    std::thread thread;
    Worker();
  };

  static void run(Worker& w, const Site& site);
  void send(std::span<const Edge> edges, bool last);
  void take(Worker& w, Rows batch);
  void merge(std::vector<Vehicle>& out);
  static const Vehicle* front(const Worker& w);
  static void pop_front(Worker& w);

  const Site& site_;
  RowOrder order_;
  std::vector<int> worker_of_input_;  // -1: no detector's
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace roadspeed

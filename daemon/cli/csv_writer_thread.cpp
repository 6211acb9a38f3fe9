#include "daemon/cli/csv_writer_thread.hpp"

#include <utility>

#include "daemon/detect/vehicle_csv.hpp"

namespace roadspeed::cli {

CsvWriterThread::CsvWriterThread(std::ostream& out, const Site& site)
    : worker_([this, &out, &site] { run(out, site); }) {}

CsvWriterThread::~CsvWriterThread() {
  if (worker_.joinable()) {
    queue_.close();
    worker_.join();
  }
}

void CsvWriterThread::write(std::vector<Vehicle>& batch) {
  if (batch.empty()) return;
  // The caller refills a spent vector, whose capacity is kept: growing a
  // new one each time cost the detection thread tens of thousands of page
  // faults per 10M edges (its blocks sit at malloc's mmap threshold).
  std::vector<Vehicle> next;
  if (auto spare = spent_.try_pop()) next = std::move(*spare);
  // A refused batch means the writer failed: finish() says why.
  queue_.push(std::exchange(batch, std::move(next)));
}

void CsvWriterThread::finish() {
  queue_.close();
  worker_.join();
  if (error_) std::rethrow_exception(error_);
}

void CsvWriterThread::run(std::ostream& out, const Site& site) {
  try {
    VehicleCsvWriter writer(out, site);
    while (auto batch = queue_.pop()) {
      writer.write(*batch);
      batch->clear();
      spent_.try_push(std::move(*batch));  // dropped when the caller has enough
    }
    writer.flush();
  } catch (...) {
    error_ = std::current_exception();
    queue_.close();  // the producer must not wait for room that never comes
  }
}

}  // namespace roadspeed::cli

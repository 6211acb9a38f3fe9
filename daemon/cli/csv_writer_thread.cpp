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
  // A refused batch means the writer failed: finish() says why.
  queue_.push(std::exchange(batch, {}));
}

void CsvWriterThread::finish() {
  queue_.close();
  worker_.join();
  if (error_) std::rethrow_exception(error_);
}

void CsvWriterThread::run(std::ostream& out, const Site& site) {
  try {
    VehicleCsvWriter writer(out, site);
    while (auto batch = queue_.pop()) writer.write(*batch);
    writer.flush();
  } catch (...) {
    error_ = std::current_exception();
    queue_.close();  // the producer must not wait for room that never comes
  }
}

}  // namespace roadspeed::cli

// analyze's output on a thread of its own: formatting a busy trace's rows
// costs a fifth of detecting them, and detection is the longest thread.
#pragma once

#include <exception>
#include <ostream>
#include <thread>
#include <vector>

#include "daemon/detect/vehicle.hpp"
#include "daemon/site/site.hpp"
#include "drivers/trace/batch_queue.hpp"

namespace roadspeed::cli {

class CsvWriterThread {
 public:
  // Writes the header and then every vehicle handed over, in order, to `out`
  // (which, like `site`, must outlive this).
  CsvWriterThread(std::ostream& out, const Site& site);
  ~CsvWriterThread();  // abandons what is not written: call finish() to keep it
  CsvWriterThread(const CsvWriterThread&) = delete;
  CsvWriterThread& operator=(const CsvWriterThread&) = delete;

  // Takes the vehicles (leaving `batch` empty); waits while the writer is
  // far behind, so memory stays bounded.
  void write(std::vector<Vehicle>& batch);
  // Writes the rest and flushes; rethrows what failed on the writer thread.
  // Check the stream's state after this.
  void finish();

 private:
  void run(std::ostream& out, const Site& site);

  // The writer is woken when half the queue is ready: then it formats four
  // batches in one go instead of waking for every one.
  BatchQueue<std::vector<Vehicle>> queue_{8, 4};
  BatchQueue<std::vector<Vehicle>> spent_{8};  // written, back to write()
  std::exception_ptr error_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace roadspeed::cli

// What the daemon and the tools hand to storage, besides vehicles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/detect/vehicle.hpp"

namespace roadspeed::store {

// A span during which a detector's sensor was known to be faulty (stuck,
// dead, unplugged) or its vehicles could not be stored: its vehicles are missing.
struct FaultSpan {
  std::uint16_t detector = 0;  // index into Site::traps, then Site::radars
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  std::string reason;
};

// A span during which every detector of the site was observed (the daemon
// ran, or a trace covered it): the denominator of uptime.
struct ObservedSpan {
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
};

// A stretch of time [start_ns, end_ns) whose vehicles are measured again
// (Store::replace_periods): whole 15-minute bins.
struct Period {
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
};

// What replacing a period did on one detector.
struct DetectorReplacement {
  std::uint16_t detector = 0;  // index into Site::traps, then Site::radars
  std::size_t removed = 0;     // stored vehicles deleted
  std::size_t stored = 0;      // measured vehicles inserted
};

struct HealthEvent {
  std::int64_t t_ns = 0;
  std::string source;    // e.g. "gpio", "store"
  std::string severity;  // "info", "warning", "error"
  std::string message;
};

struct CalibrationRecord {
  std::int64_t t_ns = 0;
  std::uint16_t detector = 0;
  int reference_passes = 0;
  double scale = 1.0;  // corrected = measured × scale + offset
  double offset_kmh = 0.0;
  std::string note;
};

// How far an import has got: committed with each of its batches, so the
// database always says which span of which trace it holds.
struct ImportProgress {
  std::string source;         // the trace as named on the command line
  std::int64_t first_ns = 0;  // its first edge
  std::int64_t last_ns = 0;   // the last edge that this and the earlier batches cover
  bool complete = false;      // this is the import's last batch
};

// What one transaction stores: all of it or none of it.
struct Batch {
  std::vector<Vehicle> vehicles;  // in time order per detector and direction
  std::vector<FaultSpan> faults;
  std::vector<ObservedSpan> observed;
  std::vector<HealthEvent> health;
  std::optional<ImportProgress> import;  // set by `roadspeed import` only

  bool empty() const {
    return vehicles.empty() && faults.empty() && observed.empty() && health.empty() && !import;
  }
  void clear() {
    vehicles.clear();
    faults.clear();
    observed.clear();
    health.clear();
    import.reset();
  }
};

}  // namespace roadspeed::store

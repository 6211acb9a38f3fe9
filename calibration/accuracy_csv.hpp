// Reading the two CSVs the accuracy scorer compares. Columns are found by
// their header names, so columns added at the end (spec/interfaces.md allows
// that) do not break scoring. Errors throw roadspeed::InputError as
// "FILE:LINE: message"; lines starting with '#' are comments.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "calibration/accuracy.hpp"

namespace roadspeed::accuracy {

// The simulator's truth CSV (drivers/sim/simulator.hpp, docs/simulator.md).
std::vector<TruthRow> read_truth_csv(std::istream& in, const std::string& source_name);

// The per-vehicle CSV of `roadspeed analyze` (spec/interfaces.md §3).
std::vector<DetectedRow> read_detected_csv(std::istream& in, const std::string& source_name);

}  // namespace roadspeed::accuracy

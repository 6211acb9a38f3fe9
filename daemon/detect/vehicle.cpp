#include "daemon/detect/vehicle.hpp"

#include <array>

namespace roadspeed {
namespace {

constexpr std::array<std::string_view, 6> class_names{"two_wheeler", "car",         "van",
                                                      "truck",       "articulated", "unclassified"};
constexpr std::array<std::string_view, flag_count> flag_names{
    "tailgate", "chatter",  "missed_first", "missed_second", "overlap",
    "split",    "lead_only", "trail_only",  "implausible",   "wrong_way", "clock_unsynced"};

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(VehicleClass c) { return class_names.at(static_cast<std::size_t>(c)); }
std::string_view to_string(Flag f) { return flag_names.at(static_cast<std::size_t>(f)); }

std::optional<VehicleClass> vehicle_class_from_string(std::string_view s) {
  return lookup<VehicleClass>(class_names, s);
}
std::optional<Flag> flag_from_string(std::string_view s) { return lookup<Flag>(flag_names, s); }

}  // namespace roadspeed

// A detected vehicle: what detection produces and everything downstream
// (CSV, storage, statistics) consumes. Mirrors spec/interfaces.md §3.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace roadspeed {

enum class VehicleClass : std::uint8_t { two_wheeler, car, van, truck, articulated, unclassified };

enum class Direction : std::uint8_t { forward, reverse };

// Quality flags, a bit each. Order here is the order they are written in.
enum class Flag : std::uint8_t {
  tailgate,       // headway under 1 s to the previous vehicle in this direction
  chatter,        // bounces removed from at least one loop's activation
  missed_first,   // the first loop (in travel direction) did not see it
  missed_second,  // the second loop did not see it
  overlap,        // met an oncoming vehicle over the trap
  split,          // one presence split (e.g. at a trailer hitch) and joined again
  lead_only,      // speed from the leading edges alone
  trail_only,     // speed from the trailing edges alone
  implausible,    // the pairing fails physics: no speed is given
  wrong_way,      // against a one-way trap's forward direction
  clock_unsynced, // stamped while the system clock was not yet synchronised
};
inline constexpr int flag_count = 11;

class Flags {
 public:
  constexpr Flags() = default;
  constexpr void set(Flag f) { bits_ |= bit(f); }
  constexpr void clear(Flag f) { bits_ &= static_cast<std::uint16_t>(~bit(f)); }
  constexpr bool has(Flag f) const { return (bits_ & bit(f)) != 0; }
  constexpr Flags& operator|=(Flags o) { bits_ |= o.bits_; return *this; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint16_t bits() const { return bits_; }
  friend constexpr bool operator==(Flags, Flags) = default;

 private:
  static constexpr std::uint16_t bit(Flag f) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(f)); }
  std::uint16_t bits_ = 0;
};

struct Vehicle {
  std::int64_t t_ns = 0;        // leading edge of the first loop met, epoch ns
  std::uint16_t detector = 0;   // index into Site::traps, then Site::radars
  Direction direction = Direction::forward;
  std::optional<double> speed_kmh;  // empty: counted, speed not trustworthy (flags say why)
  std::optional<double> length_m;   // empty: no trustworthy length
  VehicleClass vehicle_class = VehicleClass::unclassified;
  Flags flags;
  // The latest edge it was measured from, in the edges' clock: how long
  // detection took to decide is measured from here (not written out).
  std::int64_t last_edge_ns = 0;
};

std::string_view to_string(VehicleClass c);
std::string_view to_string(Flag f);
std::optional<VehicleClass> vehicle_class_from_string(std::string_view s);
std::optional<Flag> flag_from_string(std::string_view s);

}  // namespace roadspeed

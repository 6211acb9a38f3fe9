// The vehicles of one direction of one trap, in arrival order: Poisson
// arrivals (optionally following a diurnal profile), platoons, the mix of
// kinds, speeds and accelerations. A one-way trap's stream also carries its
// rare wrong-way vehicles. Vehicles never overlap one another over the trap.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "drivers/sim/random.hpp"
#include "drivers/sim/scenario.hpp"
#include "drivers/sim/vehicle_model.hpp"

namespace roadspeed::sim {

// A footprint segment's time in a loop's zone, epoch ns, with the jitter the
// card will add to each end (drawn with the vehicle, so the truth can say
// what this vehicle alone would have measured).
struct Interval {
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  std::int32_t jitter_on_ns = 0;
  std::int32_t jitter_off_ns = 0;
};

struct SimVehicle {
  std::int64_t t_ns = 0;      // body front at the leading edge of the first loop met
  std::int64_t front_ns = 0;  // footprint front there: the truth's time_ns
  Body body;
  Motion motion;
  bool travels_reverse = false;  // moves from the trap's second loop to its first
  bool wrong_way = false;        // against a one-way trap's direction
  double headway_s = std::numeric_limits<double>::infinity();  // front to front, to the one ahead the same way
  double speed_kmh = 0;          // the footprint front's mean speed between the two loops
  // Presence on the loops in the order met (0: first met), one interval per
  // footprint segment, in time order.
  std::array<std::array<Interval, 2>, 2> presence{};
  int segments = 1;
  int missed_loop = -1;          // index (order met) of the loop that does not see it; -1: none
  std::int64_t first_ns = 0;     // earliest presence on either loop
  std::int64_t last_ns = 0;      // latest presence on either loop

  // Physical loop (0: the trap's `first` input) met `k`-th.
  int card_of(int k) const { return travels_reverse ? 1 - k : k; }
};

struct StreamSetup {
  double spacing_m = 3;
  double loop_length_m = 1.5;
  std::array<double, 2> margin_m{};  // sensitivity margin of the first and the second card
  bool reverse = false;              // this stream drives second -> first
  bool one_way = false;              // may carry wrong-way vehicles
  double volume_vph = 300;
  std::int64_t start_ns = 0;         // first arrival no earlier than this
  std::int64_t end_ns = 0;           // no arrival at or after this
};

class TrafficStream {
 public:
  TrafficStream(const TrafficParams& traffic, const CardParams& cards, const StreamSetup& setup,
                std::uint64_t seed);

  // The next vehicle, or nothing once arrivals have reached the end.
  const SimVehicle* peek() const { return next_ ? &*next_ : nullptr; }
  SimVehicle take();

 private:
  struct Recent {
    std::int64_t t_ns = 0;
    std::int64_t front_ns = 0;
    Motion motion;
    double length_m = 0;
    bool travels_reverse = false;
    std::int64_t last_ns = 0;
  };

  void generate();
  std::int64_t free_arrival(std::int64_t after_ns);
  double free_rate_per_s(std::int64_t t_ns) const;
  VehicleKind draw_kind();
  double draw_accel();
  double far_m(double length_m) const;
  std::int64_t clear_of_leader(const Recent& leader, std::int64_t t_ns, const Motion& m) const;
  void fill_presence(SimVehicle& v);

  const TrafficParams& traffic_;
  const CardParams& cards_;
  StreamSetup setup_;
  Rng rng_;
  double free_rate_max_ = 0;
  std::optional<SimVehicle> next_;
  std::optional<Recent> last_;                  // the previous vehicle, either way
  std::array<std::optional<Recent>, 2> last_by_way_;  // [travels_reverse]
};

// The volume factor of `profile` at epoch time `t_ns` (local = UTC + offset),
// interpolated linearly between hour midpoints.
double profile_factor(const TrafficParams& traffic, std::int64_t t_ns);

}  // namespace roadspeed::sim

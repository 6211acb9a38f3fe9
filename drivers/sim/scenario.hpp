// The simulator's scenario: the traffic on a site and the detector cards that
// watch it. Every field has a default; together the defaults describe a
// two-way villa street watched by typical cards. docs/simulator.md gives each
// parameter, its TOML key and the reason for its default value.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace roadspeed {

// The kinds of vehicle the simulator draws. Not the reported class: that
// follows from the body length and the site's [classes] thresholds.
enum class VehicleKind : std::uint8_t { two_wheeler, car, van, truck, articulated };
inline constexpr int vehicle_kind_count = 5;

std::string_view to_string(VehicleKind k);

// One kind of vehicle: how common, how long, how fast, and where its metal is.
struct KindTraffic {
  double share = 0;                // of all vehicles; shares are normalised to sum 1
  double length_mean_m = 0;        // body length: normal, truncated to [min, max]
  double length_sd_m = 0;
  double length_min_m = 0;
  double length_max_m = 0;
  double speed_offset_kmh = 0;     // added to [traffic] speed_mean_kmh
  std::optional<double> speed_sd_kmh;  // empty: [traffic] speed_sd_kmh
  // The magnetic footprint is the body less these insets (uniform in [min, max]).
  double front_inset_min_m = 0;
  double front_inset_max_m = 0;
  double rear_inset_min_m = 0;
  double rear_inset_max_m = 0;
  // A trailer hitch: a gap without metal (articulated only; 0 = none).
  double hitch_gap_min_m = 0;
  double hitch_gap_max_m = 0;

  friend bool operator==(const KindTraffic&, const KindTraffic&) = default;
};

struct TrafficParams {
  double volume_vph = 300;                   // per trap and direction, at profile factor 1
  std::optional<double> reverse_volume_vph;  // empty: volume_vph
  bool diurnal = true;                       // scale the volume by `profile`
  // Factor per local hour (0 = 00:00-01:00), interpolated between hour midpoints.
  std::array<double, 24> profile = {0.06, 0.03, 0.02, 0.02, 0.04, 0.12, 0.40, 1.00,
                                    0.95, 0.65, 0.60, 0.65, 0.70, 0.70, 0.72, 0.85,
                                    1.00, 1.00, 0.80, 0.55, 0.40, 0.30, 0.20, 0.10};
  double utc_offset_h = 1.0;                 // local time of the profile = UTC + this

  double speed_mean_kmh = 36;
  double speed_sd_kmh = 6;
  double speed_min_kmh = 5;                  // speeds are drawn within [min, max]
  double speed_max_kmh = 130;

  double accel_sd_mps2 = 0.15;               // most vehicles: a ~ N(0, sd)
  double accel_share = 0.10;                 // the rest accelerate or brake firmly:
  double accel_min_mps2 = 0.5;               //   |a| uniform in [min, max], either sign
  double accel_max_mps2 = 2.0;

  double platoon_share = 0.15;               // vehicles that follow the one ahead closely
  double platoon_headway_min_s = 0.6;
  double platoon_headway_max_s = 1.5;
  double platoon_speed_sd_kmh = 1.5;         // follower's speed about its leader's
  double min_gap_m = 3.0;                    // bumper to bumper, never less, over the trap

  double wrong_way_share = 0.001;            // one-way traps only

  std::array<KindTraffic, vehicle_kind_count> kinds = {{
      // share  length mean sd  min   max    dv  sd  front      rear       hitch
      {0.05, 2.0, 0.2, 1.5, 2.4, -3, {}, 0.30, 0.50, 0.40, 0.70, 0, 0},
      {0.80, 4.5, 0.35, 3.4, 5.5, 0, {}, 0.20, 0.40, 0.20, 0.40, 0, 0},
      {0.09, 6.3, 0.45, 5.7, 7.4, -1, {}, 0.25, 0.45, 0.30, 0.60, 0, 0},
      {0.04, 9.5, 1.3, 7.6, 12.4, -4, {}, 0.60, 1.20, 0.80, 1.60, 0, 0},
      {0.02, 16.5, 1.5, 13.0, 18.75, -6, {}, 0.60, 1.20, 0.80, 1.60, 1.0, 2.6},
  }};

  const KindTraffic& kind(VehicleKind k) const { return kinds[static_cast<std::size_t>(k)]; }
  KindTraffic& kind(VehicleKind k) { return kinds[static_cast<std::size_t>(k)]; }

  friend bool operator==(const TrafficParams&, const TrafficParams&) = default;
};

struct CardParams {
  double on_delay_ms = 8;             // presence begins -> output on
  double off_delay_ms = 12;           // presence ends -> output off
  double jitter_ms = 1.8;             // sigma of the per-detection variation, each edge
  double second_offset_ms = 1.0;      // the second card of a trap is this much slower, both edges
  double sensitivity_m = 0.25;        // detection zone reaches this far beyond the loop, each side
  double sensitivity_spread_m = 0.02; // sigma of that margin between cards
  double chatter_prob = 0.02;         // per output transition
  int chatter_bounces_max = 4;        // a burst has 1..max bounces
  double chatter_window_min_ms = 1;   // span over which a burst's bounces begin
  double chatter_window_max_ms = 8;
  double bounce_min_ms = 0.2;         // length of one bounce
  double bounce_max_ms = 2.0;
  double two_wheeler_miss_prob = 0.10;  // one loop (chosen at random) does not see it
  double spurious_per_hour = 0.2;     // per loop
  double spurious_min_ms = 20;
  double spurious_max_ms = 150;

  friend bool operator==(const CardParams&, const CardParams&) = default;
};

// A 24 GHz Doppler module whose IF output is squared onto a GPIO line by a
// comparator (docs/simulator.md, "Radar"): the beam, the return strength and
// what a comparator makes of a weak or noisy IF signal.
struct RadarParams {
  double beam_half_width_deg = 12;   // gain falls (cos^2) to 0 this far off the beam axis
  double reference_range_m = 20;     // full return strength up to here; amplitude ~ 1/r^2 beyond
  double detect_min = 0.15;          // return strength at which the comparator starts to fire
  double detect_full = 0.45;         // ...and from which it fires on every cycle
  double phase_jitter = 0.02;        // sigma of each edge, as a share of the period, at full strength
  double miss_prob = 0.002;          // a cycle missed even at full strength
  double extra_per_s = 3;            // short extra pulses (glitches) per second of signal
  double noise_per_s = 5;            // noise pulses per second on each output, at any time
  double two_wheeler_strength = 0.5; // a small reflector, relative to a car
  double forward_offset_m = 2.5;     // true lane offsets where the site file gives none
  double reverse_offset_m = 5.5;
  double footprint_near_m = 12;      // a radar in line with the lane (offset 0) sees
  double footprint_far_m = 24;       //   the lane from here to here

  friend bool operator==(const RadarParams&, const RadarParams&) = default;
};

struct Scenario {
  std::string name;         // [scenario] name, for headers and reports
  std::string description;  // [scenario] description
  TrafficParams traffic;
  CardParams cards;
  RadarParams radar;

  friend bool operator==(const Scenario&, const Scenario&) = default;
};

// Reads a scenario file. Throws InputError ("FILE:LINE: message", one line)
// for a syntax error, an unknown key or a value outside its documented range.
Scenario load_scenario(const std::filesystem::path& path);
// The same from text in memory; `source_name` stands for the file in errors.
Scenario parse_scenario(std::string_view toml_text, const std::string& source_name);

// Checks the cross-field rules (ranges, min <= max, volume vs platoons) of a
// scenario built in code; throws InputError naming `source_name`.
void validate_scenario(const Scenario& s, const std::string& source_name);

}  // namespace roadspeed

// The physical limits and tolerances of loop-trap detection, in one place
// (docs/detection.md explains each).
#pragma once

#include <cmath>
#include <cstdint>

namespace roadspeed::trap_limits {

// Physics bounds (docs/detection.md). A pairing outside them is not a speed.
inline constexpr double min_speed_mps = 3 / 3.6;
inline constexpr double max_speed_mps = 250 / 3.6;
// Speed change a pass may show between its leading and trailing pairs:
// normal driving stays within about 2 m/s^2 accelerating and 2.5 m/s^2
// braking. A harder manoeuvre is counted without a speed rather than risk
// accepting two different vehicles as one.
inline constexpr double max_accel_mps2 = 2.5;
// Card timing spread assumed by the consistency test, clamped around what
// the combiner has learnt so a bad start cannot lock a trap out.
inline constexpr double min_jitter_s = 0.5e-3, max_jitter_s = 10e-3;
inline constexpr double consistency_sigmas = 4.0;
inline constexpr double card_mismatch_share = 0.02;  // unequal on/off delays of the two cards
inline constexpr double min_magnetic_length_m = 0.3;
inline constexpr double max_magnetic_length_m = 30.0;
// A presence split by less road than this is one vehicle (trailer hitch):
// a drawbar leaves at most about 2.6 m without metal, of which a 1.5 m loop
// and its field close all but about 0.6 m; followers keep a bumper gap of
// 2 m or more, which leaves about 1 m of empty loop.
inline constexpr double hitch_max_gap_m = 0.8;
// The piece before a hitch is a towing vehicle: a moped closely followed by
// a car is two vehicles, however small the gap.
inline constexpr double min_towing_magnetic_m = 2.5;
inline constexpr std::int64_t join_window_ns = 500'000'000;
// A pass may accelerate: the leading pair's speed gets this much slack in
// the quick tests that rule candidates out (pairing_score applies the
// exact ones).
inline constexpr double lead_speed_slack = 1.5;
inline constexpr int max_group_pieces = 3;
inline constexpr double join_bonus = 0.5;  // a valid join explains two pieces at once
// Occupied longer than this: a stuck detector or a parked car, not a pass.
inline constexpr std::int64_t max_presence_ns = 120'000'000'000;
// A lone activation shorter than the shortest footprint passing at this
// speed, or at this many times the trap's typical speed if that is lower,
// is a noise pulse, not a vehicle the other loop missed.
inline constexpr double shortest_footprint_m = 1.0;
inline constexpr double fastest_lone_pass_mps = 25.0;
inline constexpr double lone_speed_factor = 1.5;
// A pairing that skipped a presence on the second loop and is slower than
// this share of the trap's typical speed is not trusted (docs/detection.md).
inline constexpr double slow_share = 0.5;
// A vehicle following another within a second or so drives about its
// speed: a slow pairing at least this share of the latest measured speed is
// a slow platoon, not an oncoming vehicle's merged arrival (trap_merged.cpp).
inline constexpr double follower_speed_share = 0.75;
// An unpaired cluster whose leading and trailing pairs differ in speed by
// more than this share is two vehicles meeting, not one badly timed pass.
inline constexpr double one_vehicle_speed_spread = 1.0;
// ... or whose two speeds disagree by more than this many times the
// consistency test's tolerance (about 5 m/s^2 of braking and 8 sigma of
// jitter): one vehicle would have had to brake or accelerate that hard.
inline constexpr double one_vehicle_max_disagreement = 2.0;
// A meeting's first vehicle showing at least this much metal (a long van or
// a truck: cars read 3.5-5 m) can hide an oncoming car inside its presences
// on both loops for longer than the 0.3 s a date may be off
// (trap_long_lead.cpp).
inline constexpr double long_lead_magnetic_m = 6.0;
// The metal a typical car (4.5 m of body) shows the loops: its 3.9 m
// footprint and the field's reach beyond the loop. Dates an oncoming car
// hidden behind a long vehicle from its last edge (trap_long_lead.cpp).
inline constexpr double typical_car_magnetic_m = 4.5;
inline constexpr double typical_speed_weight = 0.02;  // running mean over ~50 vehicles

inline constexpr double to_s(std::int64_t ns) { return static_cast<double>(ns) * 1e-9; }
// Rounded half away from zero, as llround, without the library call.
inline constexpr std::int64_t to_ns(double s) { return static_cast<std::int64_t>(s * 1e9 + (s < 0 ? -0.5 : 0.5)); }
// The longest gap a hitch leaves in a presence at leading-pair speed `v_lead`.
inline constexpr std::int64_t hitch_gap_ns(double v_lead_mps) { return to_ns(lead_speed_slack * hitch_max_gap_m / v_lead_mps); }
}  // namespace roadspeed::trap_limits

// What the comparator of a radar module makes of one vehicle's return
// (docs/simulator.md, "Radar"): one pulse per Doppler cycle on I (and on Q a
// quarter period later when approaching, earlier when receding), with phase
// jitter that grows as the return weakens, cycles missed at the beam edges
// and now and then at random, and short extra pulses.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "drivers/edge.hpp"
#include "drivers/sim/radar_model.hpp"
#include "drivers/sim/random.hpp"

namespace roadspeed::sim {

struct RadarOutputs {
  InputId i = 0;
  std::optional<InputId> q;
};

// Appends the edges `pass` makes (unordered) at the moments `owns` grants it
// the comparator: where another vehicle's return is stronger, that one wins.
void pass_pulses(const RadarPass& pass, const RadarOutputs& outputs, Rng& rng,
                 const std::function<bool(std::int64_t)>& owns, std::vector<Edge>& out);

}  // namespace roadspeed::sim

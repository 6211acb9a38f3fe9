// Look-ups on the site model. Linear searches: names are resolved once, at the
// boundary (site file, trace header, gpiomon log), never per edge in detection.
#include "daemon/site/site.hpp"

#include <algorithm>

namespace roadspeed {

std::optional<InputId> Site::find_input(std::string_view input_name) const {
  const auto it = std::find_if(inputs.begin(), inputs.end(),
                               [&](const Input& in) { return in.name == input_name; });
  if (it == inputs.end()) return std::nullopt;
  return static_cast<InputId>(it - inputs.begin());
}

std::optional<InputId> Site::find_input(std::string_view chip, unsigned line) const {
  const auto it = std::find_if(inputs.begin(), inputs.end(),
                               [&](const Input& in) { return in.chip == chip && in.line == line; });
  if (it == inputs.end()) return std::nullopt;
  return static_cast<InputId>(it - inputs.begin());
}

const std::string& Site::detector_id(std::size_t index) const {
  return index < traps.size() ? traps.at(index).id : radars.at(index - traps.size()).id;
}

std::vector<InputId> Site::detector_inputs(std::size_t index) const {
  if (index < traps.size()) return {traps[index].first, traps[index].second};
  const Radar& r = radars.at(index - traps.size());
  if (r.input_q) return {r.input, *r.input_q};
  return {r.input};
}

}  // namespace roadspeed

#include "daemon/detect/row_order.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

namespace roadspeed {

RowOrder::RowOrder(const Site& site) {
  // Lanes are (detector, direction); a one-way detector's two lanes have
  // the same name and keep their numbering order.
  std::vector<std::pair<std::string, std::string>> lanes;
  for (const Trap& t : site.traps) {
    lanes.emplace_back(t.id, t.forward);
    lanes.emplace_back(t.id, t.reverse.empty() ? t.forward : t.reverse);
  }
  for (const Radar& r : site.radars) {
    lanes.emplace_back(r.id, r.forward);
    lanes.emplace_back(r.id, r.reverse.empty() ? r.forward : r.reverse);
  }
  std::vector<int> order(lanes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return lanes[a] < lanes[b]; });
  lane_rank_.resize(lanes.size());
  for (std::size_t r = 0; r < order.size(); ++r) lane_rank_[order[r]] = static_cast<int>(r);
}

}  // namespace roadspeed

#include "drivers/gpio/reorder_window.hpp"

#include <algorithm>
#include <stdexcept>

namespace roadspeed {

ReorderWindow::ReorderWindow(std::int64_t window_ns) : window_ns_(window_ns) {
  if (window_ns < 0) throw std::invalid_argument("reorder window must not be negative");
}

void ReorderWindow::push(const Edge& e) {
  Edge held = e;
  if (last_released_t_ns_ && e.t_ns < *last_released_t_ns_) {
    ++late_count_;
    max_lateness_ns_ = std::max(max_lateness_ns_, *last_released_t_ns_ - e.t_ns);
    held.t_ns = *last_released_t_ns_;
  }
  // upper_bound keeps equal timestamps in arrival order. Edges mostly arrive
  // in order, so this is nearly always the end.
  const auto at = std::upper_bound(held_.begin(), held_.end(), held.t_ns,
                                   [](std::int64_t t, const Edge& x) { return t < x.t_ns; });
  held_.insert(at, held);
}

void ReorderWindow::release(std::int64_t now_ns, std::vector<Edge>& out) {
  const std::int64_t due_ns = now_ns - window_ns_;
  const auto end = std::upper_bound(held_.begin(), held_.end(), due_ns,
                                    [](std::int64_t t, const Edge& x) { return t < x.t_ns; });
  release_front(static_cast<std::size_t>(end - held_.begin()), out);
}

void ReorderWindow::release_all(std::vector<Edge>& out) { release_front(held_.size(), out); }

void ReorderWindow::release_front(std::size_t count, std::vector<Edge>& out) {
  if (count == 0) return;
  out.insert(out.end(), held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(count));
  last_released_t_ns_ = held_[count - 1].t_ns;
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(count));
}

std::optional<std::int64_t> ReorderWindow::next_due_ns() const {
  if (held_.empty()) return std::nullopt;
  return held_.front().t_ns + window_ns_;
}

}  // namespace roadspeed

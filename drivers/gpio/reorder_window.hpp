// Merges the edges of several GPIO lines into time order. Each line has its
// own descriptor, read by its own handler, so an edge of one line can reach
// us after a later edge of another line. The window holds every edge until
// it is `window_ns` older than the reader's clock, then releases it in
// timestamp order. Pure: time comes only from the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/edge.hpp"

namespace roadspeed {

// Long enough to cover the scheduling delay between two line handlers on a
// busy board, short enough that detection (which closes vehicles by timeout
// in hundreds of ms) never notices it.
inline constexpr std::int64_t kReorderWindowNs = 5'000'000;  // 5 ms

class ReorderWindow {
 public:
  explicit ReorderWindow(std::int64_t window_ns = kReorderWindowNs);

  // Holds `e` (t_ns on the same clock as the `now_ns` given to release()).
  // An edge older than one already released cannot be put in its place any
  // more: it is released next, stamped with the last released time, so the
  // output stays in order and the line's level sequence stays whole (a moved
  // edge costs at most its lateness in timing; a dropped one would cost a
  // vehicle). Such edges are counted in late_count().
  void push(const Edge& e);
  // Appends to `out`, in time order (ties: in arrival order), every held edge
  // whose t_ns is at most now_ns - window_ns.
  void release(std::int64_t now_ns, std::vector<Edge>& out);
  // Appends every held edge, in order: at shutdown nothing is lost.
  void release_all(std::vector<Edge>& out);
  // The clock time at which the oldest held edge becomes due, if any.
  std::optional<std::int64_t> next_due_ns() const;

  std::size_t held() const { return held_.size(); }
  std::uint64_t late_count() const { return late_count_; }
  std::int64_t max_lateness_ns() const { return max_lateness_ns_; }

 private:
  void release_front(std::size_t count, std::vector<Edge>& out);

  std::int64_t window_ns_;
  std::vector<Edge> held_;  // sorted by t_ns, stable; small (a few ms of edges)
  std::optional<std::int64_t> last_released_t_ns_;
  std::uint64_t late_count_ = 0;
  std::int64_t max_lateness_ns_ = 0;
};

}  // namespace roadspeed

// The arithmetic between a GPIO back-end and the rest of roadspeed, kept
// pure so it is tested without hardware: kernel events in (CLOCK_MONOTONIC),
// wall-clock Edges out in time order, with lost-edge evidence on the way.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "drivers/edge.hpp"
#include "drivers/gpio/line_event.hpp"
#include "drivers/gpio/lost_edge_counter.hpp"
#include "drivers/gpio/reorder_window.hpp"

namespace roadspeed {

class EdgeMerger {
 public:
  // `mono_to_wall_ns` is added to every kernel timestamp; the caller holds it
  // constant for one trace file.
  EdgeMerger(std::size_t input_count, std::int64_t mono_to_wall_ns, std::int64_t window_ns = kReorderWindowNs);

  // Takes a batch from one line. A snapshot (the level read when a line was
  // opened) becomes an edge only when it differs from the level last seen.
  void accept(std::span<const LineEvent> batch);
  // Appends the edges that are due at `now_mono_ns`, in time order, on wall
  // time. `lost` gets those that repeat their input's level.
  void release(std::int64_t now_mono_ns, std::vector<Edge>& out, std::vector<Edge>* lost = nullptr);
  // The same for every held edge, at shutdown.
  void release_all(std::vector<Edge>& out, std::vector<Edge>* lost = nullptr);
  // On the monotonic clock.
  std::optional<std::int64_t> next_due_mono_ns() const { return window_.next_due_ns(); }

  std::uint64_t lost_edges(InputId input) const { return lost_.lost(input); }
  std::uint64_t late_edges() const { return window_.late_count(); }
  std::int64_t max_lateness_ns() const { return window_.max_lateness_ns(); }

 private:
  void to_wall(std::size_t from, std::vector<Edge>& out, std::vector<Edge>* lost);

  std::int64_t mono_to_wall_ns_;
  ReorderWindow window_;
  LostEdgeCounter lost_;
  // The level each input will have once everything held is released, so a
  // snapshot is judged against what the line last did, held edges included.
  std::vector<std::uint8_t> pending_level_;
};

}  // namespace roadspeed

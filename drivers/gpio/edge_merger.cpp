#include "drivers/gpio/edge_merger.hpp"

namespace roadspeed {

EdgeMerger::EdgeMerger(std::size_t input_count, std::int64_t mono_to_wall_ns, std::int64_t window_ns)
    : mono_to_wall_ns_(mono_to_wall_ns), window_(window_ns), lost_(input_count), pending_level_(input_count, 0) {}

void EdgeMerger::accept(std::span<const LineEvent> batch) {
  for (const LineEvent& ev : batch) {
    std::uint8_t& level = pending_level_.at(ev.input);
    if (ev.snapshot && ev.level == level) continue;
    level = ev.level;
    window_.push({ev.t_mono_ns, ev.input, ev.level});
  }
}

void EdgeMerger::release(std::int64_t now_mono_ns, std::vector<Edge>& out, std::vector<Edge>* lost) {
  const std::size_t from = out.size();
  window_.release(now_mono_ns, out);
  to_wall(from, out, lost);
}

void EdgeMerger::release_all(std::vector<Edge>& out, std::vector<Edge>* lost) {
  const std::size_t from = out.size();
  window_.release_all(out);
  to_wall(from, out, lost);
}

void EdgeMerger::to_wall(std::size_t from, std::vector<Edge>& out, std::vector<Edge>* lost) {
  for (std::size_t i = from; i < out.size(); ++i) {
    out[i].t_ns += mono_to_wall_ns_;
    if (lost_.observe(out[i]) && lost) lost->push_back(out[i]);
  }
}

}  // namespace roadspeed

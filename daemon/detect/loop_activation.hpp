// One loop's raw edges -> activations (vehicle presence intervals), with
// contact chatter removed without moving the real transition times.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace roadspeed {

struct Activation {
  std::int64_t on_ns = 0;   // first edge of the rising transition
  std::int64_t off_ns = 0;  // first edge of the falling transition
  bool chatter = false;     // bounces were removed inside this activation

  std::int64_t occupancy_ns() const { return off_ns - on_ns; }
};

// Edges closer together than `burst_gap_ns` form one burst. A burst that
// changes the level is one transition, timed at its FIRST edge: bounces come
// after the real transition, so taking the last edge would bias timing by
// the bounce time. A burst that returns to the level it started from is a
// glitch: inside an activation it is a dropout (removed, flagged chatter),
// between activations a noise pulse (dropped). A repeated level (a lost edge)
// is ignored.
class LoopDebouncer {
 public:
  static constexpr std::int64_t default_burst_gap_ns = 10'000'000;  // 10 ms

  explicit LoopDebouncer(std::int64_t burst_gap_ns = default_burst_gap_ns)
      : burst_gap_ns_(burst_gap_ns) {}

  // Edges in non-decreasing time. Completed activations go to `out` (a
  // std::vector<Activation>, or anything with push_back(Activation): each
  // call completes at most one). False for a repeated level, which changes
  // nothing: not even the time (advance_to then has yet to close a burst it
  // has passed).
  template <typename Out>
  bool push(std::int64_t t_ns, bool level, Out& out) {
    if (level == raw_level_) return false;  // lost edge: nothing changes
    raw_level_ = level;
    if (in_burst_ && t_ns - burst_last_ns_ > burst_gap_ns_) close_burst(out);
    if (!in_burst_) {
      in_burst_ = true;
      burst_first_ns_ = t_ns;
      burst_edges_ = 0;
    }
    burst_last_ns_ = t_ns;
    burst_level_ = level;
    ++burst_edges_;
    return true;
  }
  // Time has reached `t_ns` without an edge: a burst older than the gap closes.
  template <typename Out>
  void advance_to(std::int64_t t_ns, Out& out) {
    if (in_burst_ && t_ns - burst_last_ns_ > burst_gap_ns_) close_burst(out);
  }

  // Start of the activation in progress, if the loop is active now.
  std::optional<std::int64_t> active_since() const;
  // The earliest time an activation not yet emitted can start: bounds the
  // vehicles still to come from this loop.
  std::optional<std::int64_t> earliest_pending_ns() const {
    if (stable_level_) return current_.on_ns;
    if (in_burst_) return burst_first_ns_;
    return std::nullopt;
  }
  // When advance_to() will close the burst in progress, if any.
  std::optional<std::int64_t> burst_closes_ns() const {
    if (in_burst_) return burst_last_ns_ + burst_gap_ns_ + 1;
    return std::nullopt;
  }
  std::uint64_t noise_pulses() const { return noise_pulses_; }

 private:
  template <typename Out>
  void close_burst(Out& out) {
    in_burst_ = false;
    const bool bounced = burst_edges_ > 1;
    if (burst_level_ != stable_level_) {
      stable_level_ = burst_level_;
      if (stable_level_) {
        current_ = Activation{burst_first_ns_, 0, bounced};
      } else {
        current_.off_ns = burst_first_ns_;
        current_.chatter = current_.chatter || bounced;
        out.push_back(current_);
      }
    } else if (stable_level_) {
      current_.chatter = true;  // a dropout shorter than the burst gap
    } else {
      ++noise_pulses_;
    }
  }

  std::int64_t burst_gap_ns_;
  bool stable_level_ = false;     // debounced level
  Activation current_{};          // valid while stable_level_
  bool in_burst_ = false;
  std::int64_t burst_first_ns_ = 0;
  std::int64_t burst_last_ns_ = 0;
  bool burst_level_ = false;      // raw level after the burst's latest edge
  unsigned burst_edges_ = 0;
  bool raw_level_ = false;
  std::uint64_t noise_pulses_ = 0;
};

}  // namespace roadspeed

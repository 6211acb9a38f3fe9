#include "drivers/sim/presence_union.hpp"

namespace roadspeed::sim {

void PresenceUnion::advance(std::int64_t horizon_ns, DetectorCard& card) {
  while (!heap_.empty() && heap_.top().start_ns < horizon_ns) {
    const Interval iv = heap_.top();
    heap_.pop();
    if (open_ && iv.start_ns <= open_->end_ns) {
      if (iv.end_ns > open_->end_ns) {
        open_->end_ns = iv.end_ns;
        open_->jitter_off_ns = iv.jitter_off_ns;
      }
      continue;
    }
    if (open_) card.transition(open_->end_ns, 0, open_->jitter_off_ns);
    card.transition(iv.start_ns, 1, iv.jitter_on_ns);
    open_ = iv;
  }
  // Nothing still to come starts before the horizon: a presence that ended
  // before it cannot grow any more.
  if (open_ && open_->end_ns < horizon_ns) {
    card.transition(open_->end_ns, 0, open_->jitter_off_ns);
    open_.reset();
  }
  card.advance(horizon_ns);
}

}  // namespace roadspeed::sim

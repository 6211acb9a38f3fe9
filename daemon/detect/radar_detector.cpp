#include "daemon/detect/radar_detector.hpp"

#include <algorithm>
#include <limits>

#include "daemon/detect/radar_split.hpp"

namespace roadspeed {
namespace {

constexpr double min_speed_kmh = 3;
constexpr double max_speed_kmh = 250;
// A pass long enough to show the curvature of its sweep teaches the offset;
// a very long one is more likely two vehicles run together.
constexpr std::size_t learn_min_blocks = 12;
constexpr std::size_t learn_max_blocks = 400;

}  // namespace

RadarDetector::RadarDetector(const Radar& radar, std::uint16_t detector) : radar_(radar), detector_(detector) {
  rises_.reserve(radar_block_edges);
}

void RadarDetector::push(int channel, std::int64_t t_ns, bool level, std::vector<Vehicle>& out) {
  now_ns_ = t_ns;
  if (channel == 1) {
    q_level_ = level;
    return;
  }
  // A repeated high level means a falling edge was lost: still a new cycle.
  if (level) rise(t_ns, out);
}

void RadarDetector::rise(std::int64_t t_ns, std::vector<Vehicle>& out) {
  if (!rises_.empty() && t_ns == rises_.back()) return;  // a duplicate record, not a cycle
  if (!rises_.empty() && t_ns - rises_.back() > pulse_gap_ns) {
    rises_.clear();  // the tone stopped: a partial block is only a fringe
    vote_ = 0;
  }
  rises_.push_back(t_ns);
  // With I leading Q (approaching), Q is still low when I rises.
  if (radar_.input_q) vote_ += q_level_ ? -1 : 1;
  if (rises_.size() == 1) {
    // A block may begin here: what it could not continue closes now.
    segmenter_.advance_to(t_ns, closed_);
    emit(out);
  }
  if (rises_.size() < radar_block_edges) return;
  if (const auto b = decode_block(rises_, vote_); b && b->strong()) segmenter_.push(*b, closed_);
  rises_.assign(1, t_ns);  // blocks share their boundary edge
  vote_ = 0;
  segmenter_.advance_to(t_ns, closed_);  // the next block begins here
  emit(out);
}

void RadarDetector::advance_to(std::int64_t t_ns, std::vector<Vehicle>& out) {
  now_ns_ = std::max(now_ns_, t_ns);
  // The tone stopped: the partial block is a fringe (as rise() finds at the
  // next pulse), and must not hold the output back until then.
  if (!rises_.empty() && now_ns_ - rises_.back() > pulse_gap_ns) {
    rises_.clear();
    vote_ = 0;
  }
  // The block being gathered begins at its first rise and may still
  // continue a segment that could take a block beginning then: time passes
  // for the segmenter only up to there (rise() moves it on), so a segment
  // closes at the same block whenever detection is told the time.
  if (rises_.empty()) segmenter_.advance_to(now_ns_, closed_);
  emit(out);
  measure_some(blocks_per_piece, out);
}

void RadarDetector::finish(std::vector<Vehicle>& out) {
  segmenter_.finish(closed_);
  emit(out);
  measure_some(std::numeric_limits<std::size_t>::max(), out);
}

// While a block is being gathered the segmenter has been told the time up
// to its first rise, and closes nothing before that block ends or is dropped.
std::int64_t RadarDetector::next_wakeup_ns() const {
  if (measuring()) return now_ns_;  // the next piece of work
  if (!rises_.empty()) return rises_.back() + pulse_gap_ns + 1;
  return segmenter_.next_close_ns();
}

std::int64_t RadarDetector::horizon_ns() const {
  std::int64_t t = std::min(segmenter_.earliest_open_ns(), now_ns_);
  if (!rises_.empty()) t = std::min(t, rises_.front());
  // A pass's vehicles are dated within it.
  for (const RadarSegment& s : unmeasured_) t = std::min(t, s.first_ns());
  return t;
}

void RadarDetector::emit(std::vector<Vehicle>& out) {
  for (RadarSegment& s : closed_) {
    if (in_pieces_) {
      // Journalled as it closes, as below; measured later, in order.
      if (keep_passes_) kept_.push_back(RadarPass{detector_, now_ns_, s});
      unmeasured_.push_back(std::move(s));
      continue;
    }
    measure_pass(s, out);
    if (keep_passes_) kept_.push_back(RadarPass{detector_, now_ns_, std::move(s)});
  }
  closed_.clear();
}

// measure_pass() of the passes waiting, in the order they closed, fitting
// about `budget` blocks in all: the split search, then each part's fit.
void RadarDetector::measure_some(std::size_t budget, std::vector<Vehicle>& out) {
  while (!unmeasured_.empty() && budget > 0) {
    const RadarSegment& s = unmeasured_.front();
    if (!measuring_) {
      // The pass teaches its lane's offset first; a refit that makes due is
      // work in pieces too, and the pass is measured with its result.
      if (!front_learnt_) {
        front_learnt_ = true;
        learn_from(s);
      }
      if (LaneOffsetEstimate* learnt = learnt_for(s); learnt && learnt->refitting()) {
        budget -= std::min(budget, learnt->refit_some(budget));
        if (learnt->refitting() || budget == 0) return;
      }
      measuring_.emplace(Measuring{model_for(s), {}, {}, 0});
    }
    Measuring& m = *measuring_;
    if (!m.parts && !(m.parts = m.search.run(s, m.model, budget))) return;
    for (; m.measured < m.parts->size() && budget > 0; ++m.measured) {
      const RadarSegment& part = (*m.parts)[m.measured];
      budget -= std::min(budget, part.blocks.size());
      out.push_back(measure(part, m.model));
    }
    if (m.measured < m.parts->size()) return;
    measuring_.reset();
    front_learnt_ = false;
    unmeasured_.pop_front();
  }
}

void RadarDetector::measure_pass(const RadarSegment& s, std::vector<Vehicle>& out) {
  if (LaneOffsetEstimate* learnt = learn_from(s)) learnt->refit_some(std::numeric_limits<std::size_t>::max());
  const SweepModel m = model_for(s);
  // Followers whose returns ran into one another show as one sweep that
  // the model cannot fit: split it where two fits explain it best.
  for (const RadarSegment& part : split_merged(s, m)) out.push_back(measure(part, m));
}

void RadarDetector::take_passes(std::vector<RadarPass>& out) {
  for (RadarPass& p : kept_) out.push_back(std::move(p));
  kept_.clear();
}

// The site's offset for the lane; else the one learnt from clean passes; 0
// (the beam angle alone, as a speed sign assumes) until one is learnt.
SweepModel RadarDetector::model_for(const RadarSegment& s) const {
  const bool reverse = radar_.input_q && s.vote < 0;
  const auto& given = reverse ? radar_.reverse_offset_m : radar_.forward_offset_m;
  double offset_m = 0.0;
  if (given) {
    offset_m = *given;
  } else if (radar_.angle_deg > 0) {
    offset_m = learnt_offset_[reverse ? 1 : 0].offset_m().value_or(0.0);
  }
  return SweepModel{doppler_hz_per_mps(radar_.carrier_ghz), radar_.angle_deg, offset_m, !reverse};
}

// The estimate of the pass's lane where the offset is learnt; else null.
LaneOffsetEstimate* RadarDetector::learnt_for(const RadarSegment& s) {
  const bool reverse = radar_.input_q && s.vote < 0;
  const auto& given = reverse ? radar_.reverse_offset_m : radar_.forward_offset_m;
  if (given || radar_.angle_deg <= 0) return nullptr;
  return &learnt_offset_[reverse ? 1 : 0];
}

// A clean pass, neither too short nor too long, teaches its lane's estimate;
// a refit that makes due is only begun. Returns the estimate, or null.
LaneOffsetEstimate* RadarDetector::learn_from(const RadarSegment& s) {
  LaneOffsetEstimate* learnt = learnt_for(s);
  if (!learnt || s.blocks.size() < learn_min_blocks || s.blocks.size() > learn_max_blocks) return learnt;
  const bool reverse = radar_.input_q && s.vote < 0;
  const SweepModel m{doppler_hz_per_mps(radar_.carrier_ghz), radar_.angle_deg, 0.0, !reverse};
  learnt->start(m, sweep_samples(s, s.first_ns() + (s.last_ns() - s.first_ns()) / 2));
  return learnt;
}

Vehicle RadarDetector::measure(const RadarSegment& s, const SweepModel& m) const {
  Vehicle v;
  v.t_ns = s.first_ns() + (s.last_ns() - s.first_ns()) / 2;
  v.last_edge_ns = s.last_ns();
  v.detector = detector_;
  const bool reverse = radar_.input_q && s.vote < 0;
  v.direction = reverse && !radar_.reverse.empty() ? Direction::reverse : Direction::forward;
  if (reverse && radar_.reverse.empty()) v.flags.set(Flag::wrong_way);
  v.vehicle_class = VehicleClass::unclassified;  // a Doppler return gives no length

  const auto fit = fit_sweep(m, sweep_samples(s, v.t_ns));
  const double kmh = fit ? fit->reported_mps * 3.6 : 0.0;
  if (!fit || fit->rms_pct > max_rms_pct || fit->reported_sd_pct > max_speed_sd_pct || kmh < min_speed_kmh ||
      kmh > max_speed_kmh) {
    v.flags.set(Flag::implausible);
    return v;
  }
  v.speed_kmh = kmh;
  return v;
}

}  // namespace roadspeed

#include "daemon/health/sensor_health.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace roadspeed {
namespace {

constexpr std::int64_t second_ns = 1'000'000'000;
constexpr std::int64_t minute_ns = 60 * second_ns;
constexpr std::array<std::string_view, 5> kind_names{"stuck_active", "silent", "chatter", "lost_edges",
                                                     "on_time_mismatch"};

std::int64_t median(std::vector<std::int64_t> v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

std::string format(const char* fmt, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

}  // namespace

std::string_view to_string(FaultKind k) { return kind_names.at(static_cast<std::size_t>(k)); }

std::vector<std::uint16_t> detectors_reading(const Site& site, InputId input) {
  std::vector<std::uint16_t> out;
  for (std::size_t t = 0; t < site.traps.size(); ++t)
    if (site.traps[t].first == input || site.traps[t].second == input) out.push_back(static_cast<std::uint16_t>(t));
  for (std::size_t r = 0; r < site.radars.size(); ++r)
    if (site.radars[r].input == input || site.radars[r].input_q == input)
      out.push_back(static_cast<std::uint16_t>(site.traps.size() + r));
  return out;
}

void SensorHealth::close_all(std::int64_t end_ns, std::vector<FaultEvent>& out) {
  for (int i = 0; i < static_cast<int>(inputs_.size()); ++i)
    for (int k = 0; k < static_cast<int>(kind_names.size()); ++k)
      if (inputs_[i].open[k]) close(i, static_cast<FaultKind>(k), end_ns, "open at the end", out);
}

SensorHealth::SensorHealth(const Site& site, HealthSettings settings)
    : settings_(settings), inputs_(site.inputs.size()) {
  for (const Trap& t : site.traps) {
    inputs_.at(t.first).is_loop = inputs_.at(t.second).is_loop = true;
    inputs_[t.first].partner = static_cast<int>(t.second);
    inputs_[t.second].partner = static_cast<int>(t.first);
  }
  for (const Radar& r : site.radars) {
    inputs_.at(r.input).is_radar = true;
    if (r.input_q) inputs_.at(*r.input_q).is_radar = true;
  }
}

InputHealth SensorHealth::health(InputId input) const {
  const Input& in = inputs_.at(input);
  InputHealth h;
  h.last_edge_ns = in.last_edge_ns;
  h.edges_per_minute = in.edges_last_minute;
  h.lost_edges = in.lost_edges;
  for (int k = 0; k < static_cast<int>(kind_names.size()); ++k)
    if (in.open[k]) h.open_faults.push_back(static_cast<FaultKind>(k));
  return h;
}

void SensorHealth::open(int input, FaultKind k, std::int64_t start_ns, std::string detail,
                        std::vector<FaultEvent>& out) {
  Input& in = inputs_[input];
  in.open[static_cast<int>(k)] = true;
  in.opened_ns[static_cast<int>(k)] = start_ns;
  out.push_back(FaultEvent{static_cast<InputId>(input), k, start_ns, std::nullopt, std::move(detail)});
}

void SensorHealth::close(int input, FaultKind k, std::int64_t end_ns, std::string detail,
                         std::vector<FaultEvent>& out) {
  Input& in = inputs_[input];
  in.open[static_cast<int>(k)] = false;
  const std::int64_t start_ns = in.opened_ns[static_cast<int>(k)];
  out.push_back(FaultEvent{static_cast<InputId>(input), k, start_ns, std::max(start_ns, end_ns), std::move(detail)});
}

void SensorHealth::push(const Edge& e, std::vector<FaultEvent>& out) {
  advance_to(e.t_ns, out);
  const int i = static_cast<int>(e.input);
  if (i >= static_cast<int>(inputs_.size())) return;
  Input& in = inputs_[i];
  count_edge(i, e.t_ns, out);
  if (is_open(i, FaultKind::silent)) close(i, FaultKind::silent, e.t_ns, "edges again", out);
  in.last_edge_ns = e.t_ns;
  in.partner_activations_since_edge = 0;

  if (e.level == in.level) {
    // Two rising (or falling) edges in a row: one between them was lost.
    ++in.lost_edges;
    in.last_lost_ns = e.t_ns;
    if (!is_open(i, FaultKind::lost_edges)) open(i, FaultKind::lost_edges, e.t_ns, "a repeated level", out);
    return;
  }
  in.level = e.level;
  if (e.level) {
    in.active_since_ns = e.t_ns;
  } else {
    if (is_open(i, FaultKind::stuck_active)) close(i, FaultKind::stuck_active, e.t_ns, "released", out);
    if (in.is_loop) on_activation_end(i, in.active_since_ns, e.t_ns, out);
  }
}

void SensorHealth::advance_to(std::int64_t t_ns, std::vector<FaultEvent>& out) {
  if (t_ns < now_ns_) return;
  if (now_ns_ == 0) {
    // Time starts with the first news: quiet inputs are measured from here.
    for (Input& in : inputs_) in.second_start_ns = in.minute_start_ns = in.watched_since_ns = t_ns;
  }
  now_ns_ = t_ns;
  for (int i = 0; i < static_cast<int>(inputs_.size()); ++i) check_time(i, t_ns, out);
}

void SensorHealth::count_edge(int input, std::int64_t t_ns, std::vector<FaultEvent>& out) {
  check_time(input, t_ns, out);
  ++inputs_[input].edges_this_second;
  ++inputs_[input].edges_this_minute;
}

// Time-driven rules: whole seconds and minutes that have passed, a loop held
// active, a radar gone quiet, lost edges that stopped.
void SensorHealth::check_time(int i, std::int64_t t_ns, std::vector<FaultEvent>& out) {
  Input& in = inputs_[i];
  if (t_ns >= in.second_start_ns + second_ns) {
    const std::int64_t seconds = (t_ns - in.second_start_ns) / second_ns;
    if (in.is_loop && in.edges_this_second > chatter_edges_per_s) {
      in.calm_seconds = static_cast<int>(std::min<std::int64_t>(seconds - 1, chatter_calm_s));
      in.last_chatter_end_ns = in.second_start_ns + second_ns;
      if (!is_open(i, FaultKind::chatter))
        open(i, FaultKind::chatter, in.second_start_ns, format("%.0f edges in one second", in.edges_this_second), out);
    } else {
      in.calm_seconds = static_cast<int>(std::min<std::int64_t>(in.calm_seconds + seconds, chatter_calm_s));
    }
    if (is_open(i, FaultKind::chatter) && in.calm_seconds >= chatter_calm_s)
      close(i, FaultKind::chatter, in.last_chatter_end_ns, "calm again", out);
    in.second_start_ns += seconds * second_ns;
    in.edges_this_second = 0;
  }
  if (t_ns >= in.minute_start_ns + minute_ns) {
    const std::int64_t minutes = (t_ns - in.minute_start_ns) / minute_ns;
    in.edges_last_minute = minutes == 1 ? in.edges_this_minute : 0;
    in.edges_this_minute = 0;
    in.minute_start_ns += minutes * minute_ns;
  }
  if (in.is_loop && in.level && t_ns - in.active_since_ns >= settings_.stuck_after_ns &&
      !is_open(i, FaultKind::stuck_active))
    open(i, FaultKind::stuck_active, in.active_since_ns,
         format("active for %.0f s", static_cast<double>(settings_.stuck_after_ns) / second_ns), out);
  if (in.is_radar && !is_open(i, FaultKind::silent)) {
    const std::int64_t since = in.last_edge_ns.value_or(in.watched_since_ns);
    if (t_ns - since >= radar_silent_after_ns) open(i, FaultKind::silent, since, "no edge for 30 min", out);
  }
  if (is_open(i, FaultKind::lost_edges) && t_ns - in.last_lost_ns >= lost_edges_quiet_ns)
    close(i, FaultKind::lost_edges, in.last_lost_ns, format("%.0f lost edges so far", double(in.lost_edges)), out);
}

// A loop's activation ended: its partner saw nothing of it if the partner
// stays quiet; both loops' on-times are compared once enough have passed.
void SensorHealth::on_activation_end(int i, std::int64_t on_ns, std::int64_t off_ns, std::vector<FaultEvent>& out) {
  if (off_ns - on_ns < min_vehicle_on_time_ns) return;  // a pulse or a bounce, not a vehicle
  Input& in = inputs_[i];
  Input& partner = inputs_[in.partner];
  if (partner.partner_activations_since_edge++ == 0) partner.first_unanswered_ns = on_ns;
  if (partner.partner_activations_since_edge >= silent_after_partner_activations && !partner.level &&
      !is_open(in.partner, FaultKind::silent))
    open(in.partner, FaultKind::silent, partner.first_unanswered_ns,
         format("no edge while its partner made %.0f activations", partner.partner_activations_since_edge), out);
  in.on_times_ns.push_back(off_ns - on_ns);
  if (in.on_times_ns.size() >= on_time_window && partner.on_times_ns.size() >= on_time_window)
    compare_on_times(i, off_ns, out);
}

void SensorHealth::compare_on_times(int i, std::int64_t t_ns, std::vector<FaultEvent>& out) {
  // One fault per trap, kept on its lower-numbered loop; the ratio is the
  // other loop's median on-time over its own.
  const int owner = std::min(i, inputs_[i].partner);
  Input& a = inputs_[owner];
  Input& b = inputs_[a.partner];
  const double ratio = static_cast<double>(median(b.on_times_ns)) / static_cast<double>(median(a.on_times_ns));
  a.on_times_ns.clear();
  b.on_times_ns.clear();
  const double off = std::abs(std::log(ratio));
  if (off > std::log1p(on_time_mismatch_share) && !is_open(owner, FaultKind::on_time_mismatch))
    open(owner, FaultKind::on_time_mismatch, t_ns, format("median on-time ratio %.3f", ratio), out);
  else if (off < std::log1p(on_time_mismatch_share / 2) && is_open(owner, FaultKind::on_time_mismatch))
    close(owner, FaultKind::on_time_mismatch, t_ns, format("median on-time ratio %.3f", ratio), out);
}

}  // namespace roadspeed

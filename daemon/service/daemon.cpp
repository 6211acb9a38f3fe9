#include "daemon/service/daemon.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <limits>
#include <utility>

#include "daemon/service/log.hpp"
#include "drivers/utc_time.hpp"
#include "daemon/service/source_factory.hpp"

namespace roadspeed {
namespace {

// Edges carry the source's input numbers: a reload may change what is on
// the road, not which lines are read.
bool same_inputs(const Site& a, const Site& b) {
  if (a.inputs.size() != b.inputs.size()) return false;
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const Input &x = a.inputs[i], &y = b.inputs[i];
    if (x.name != y.name || x.chip != y.chip || x.line != y.line || x.active_low != y.active_low || x.bias != y.bias)
      return false;
  }
  return true;
}

}  // namespace

Daemon::Daemon(DaemonConfig config)
    : config_(std::move(config)),
      site_(std::make_shared<const Site>(load_site_file(config_.site_file))),
      source_site_(site_),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      tick_timer_(io_),
      decision_timer_(io_),
      limited_log_([](std::string_view line) { log::error(line); }),
      store_(config_.database, *site_, config_.retention_days, &stored_latency_),
      journal_(config_.journal_dir, source_site_, config_.journal_limits, config_.journal_radar_edges),
      detector_(*site_, VehicleDetector::Mode::live),
      health_(*source_site_, config_.health),
      source_(make_edge_source(io_, config_.source, *source_site_,
                               [this](const std::string& m) { limited_log_.log("source", "source: " + m); })),
      watchdog_interval_(notifier_.watchdog_ping_interval()) {
  detector_.keep_radar_passes();
  detector_.measure_radar_passes_in_pieces();  // no long call on the event loop
}

Daemon::~Daemon() = default;

// The journal and the optional CSV start after the store, so that a store
// that cannot be opened stops the start before anything else is written.


int Daemon::run() {
  if (config_.vehicles_file) csv_.emplace(*config_.vehicles_file);
  try {
    feed_ = std::make_unique<LiveFeed>(io_, config_.monitor_socket);
  } catch (const boost::system::system_error& e) {
    log::warning("no live feed for roadspeed monitor at " + config_.monitor_socket.string() + ": " +
                 e.code().message());
  }
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (!ec) on_signal(signal);
  });
  source_->start({[this](std::span<const Edge> edges) { on_edges(edges); },
                  [this](const std::string& error) { on_source_end(error); }});
  if (source_->stamps_with_system_clock() && !clock_.synchronized())
    log::info("system clock not synchronised: live vehicles are flagged clock_unsynced until it is");
  log::info("started: site " + site_->id + " from " + config_.site_file.string() + ", source " +
            source_->describe() + ", database " + config_.database.string() +
            (config_.vehicles_file ? ", vehicles also to " + config_.vehicles_file->string() : std::string()));
  // The inputs are open and the store is ready.
  notifier_.ready();
  report_status();
  schedule_tick();
  io_.run();
  return 0;
}

void Daemon::on_edges(std::span<const Edge> edges) {
  for (const Edge& e : edges) {
    if (pending_site_ && detector_.idle()) take_pending_site();
    detector_.push(e, out_);
    produced_at(e.t_ns);
    told_through_ns_ = e.t_ns;
    health_.push(e, faults_);
    if (feed_ && feed_->has_clients()) feed_->publish(edge_line(*source_site_, e));
  }
  report_faults();
  if (wall_correction_ns_ == 0) {
    journal_.append(edges);
  } else {
    corrected_.assign(edges.begin(), edges.end());
    for (Edge& e : corrected_) e.t_ns += wall_correction_ns_;
    journal_.append(corrected_);
  }
  if (edges_ == 0) first_edge_ns_ = edges.front().t_ns;
  edges_ += edges.size();
  last_edge_ns_ = edges.back().t_ns;
  emit(out_);
  schedule_decision();
}

void Daemon::on_source_end(const std::string& error) {
  source_ended_ = true;
  if (!error.empty()) log::error("source ended: " + error);
  else log::info("source ended: " + source_->describe() + " has no more edges");
  detector_.finish(out_);
  emit(out_);
}

void Daemon::emit(std::vector<Vehicle>& vehicles) {
  // Every vehicle detection releases comes through here, and so do the
  // radar passes closed meanwhile: a few a second, moved, not copied.
  detector_.take_radar_passes(passes_);
  if (!passes_.empty()) journal_.append_passes(passes_, site_, wall_correction_ns_);
  if (vehicles.empty()) return;
  // Vehicles a finish() decided (a stop, a reload) came out at the time
  // detection was last told.
  produced_at_ns_.resize(vehicles.size(), told_through_ns_);
  last_edge_at_.clear();
  if (const auto now_ns = source_->clock_now_ns()) {
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < vehicles.size(); ++i) {
      const std::int64_t late_ns = *now_ns - vehicles[i].last_edge_ns;
      detected_latency_.add(late_ns);
      processing_latency_.add(*now_ns - produced_at_ns_[i]);
      last_edge_at_.push_back(now - std::chrono::nanoseconds(late_ns));
    }
  }
  produced_at_ns_.clear();
  const bool unsynced = source_->stamps_with_system_clock() && !clock_.synchronized();
  for (Vehicle& v : vehicles) {
    v.t_ns += wall_correction_ns_;
    if (unsynced) v.flags.set(Flag::clock_unsynced);
  }
  vehicles_ += vehicles.size();
  if (feed_ && feed_->has_clients())
    for (const Vehicle& v : vehicles) feed_->publish(vehicle_line(*site_, v));
  store_.append(vehicles, last_edge_at_);
  if (csv_) csv_->append(vehicles, site_);
  vehicles.clear();
}

void Daemon::schedule_tick() {
  tick_timer_.expires_after(advance_interval);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

// Lets time pass in detection, pings the watchdog from the loop itself (a
// hung loop stops pinging and is restarted) and renews STATUS=.
void Daemon::tick() {
  if (!source_ended_) {
    const std::int64_t through_ns = source_->delivered_through_ns();
    advance_detection(through_ns);
    health_.advance_to(through_ns, faults_);
    report_faults();
    store_observed(through_ns);
  }
  if (pending_site_ && detector_.idle()) take_pending_site();
  emit(out_);
  watch_clock();
  limited_log_.tick();
  const auto now = std::chrono::steady_clock::now();
  if (watchdog_interval_ && now >= next_watchdog_) {
    notifier_.watchdog();
    next_watchdog_ = now + *watchdog_interval_;
  }
  if (now >= next_status_) report_status();
  schedule_tick();
  schedule_decision();
}

// The detector's time when the vehicles not yet dated came out of it.
void Daemon::produced_at(std::int64_t t_ns) { produced_at_ns_.resize(out_.size(), t_ns); }

// Lets time pass in detection up to `through_ns`. What it decides became
// decidable at the wake it was scheduled for (a late timer is the event
// loop's delay and counts as such), but not before detection was last told
// the time, or it would have come out then.
void Daemon::advance_detection(std::int64_t through_ns) {
  detector_.advance_to(through_ns, out_);
  produced_at(std::max(told_through_ns_, std::min(through_ns, scheduled_wake_ns_)));
  told_through_ns_ = through_ns;
}

// Detection waits for things to settle (a debounce, a hitch gap, a pairing
// window): wake it exactly then, not on the next coarse tick. A replay as
// fast as possible has no clock to wait for; the edges move it on.
void Daemon::schedule_decision() {
  if (source_ended_ || !source_->clock_now_ns()) return;
  const std::int64_t wake_ns = detector_.next_wakeup_ns();
  // Busy inputs call this for every batch of edges: keep a wait that is
  // already set for the same time rather than re-arm it.
  if (decision_pending_ && wake_ns == scheduled_wake_ns_) return;
  if (wake_ns == std::numeric_limits<std::int64_t>::max()) {
    scheduled_wake_ns_ = wake_ns;
    decision_timer_.cancel();
    decision_pending_ = false;
    return;
  }
  // A wake already past (the edges just delivered reach beyond it): what
  // detection waited for is decidable from now, not then.
  const std::int64_t through_ns = source_->delivered_through_ns();
  scheduled_wake_ns_ = std::max(wake_ns, through_ns);
  const std::int64_t wait_ns = std::max<std::int64_t>(0, wake_ns - through_ns);
  decision_timer_.expires_after(std::chrono::nanoseconds(wait_ns));
  decision_pending_ = true;
  decision_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled or re-armed: the new wait's handler decides
    decision_pending_ = false;
    decide_now();
  });
}

void Daemon::decide_now() {
  if (source_ended_) return;
  advance_detection(source_->delivered_through_ns());
  emit(out_);
  schedule_decision();
}

// A fault span on every detector whose input it is: their counts are
// incomplete for that time.
void Daemon::store_fault(const FaultEvent& f) {
  for (std::uint16_t detector : detectors_reading(*source_site_, f.input))
    store_.append(store::FaultSpan{detector, f.start_ns + wall_correction_ns_, *f.end_ns + wall_correction_ns_,
                                   source_site_->inputs.at(f.input).name + " " + std::string(to_string(f.kind))});
}

// The time the sensors were watched: the denominator of uptime. Stored in
// spans of at least a second.
void Daemon::store_observed(std::int64_t through_ns) {
  if (through_ns <= 0) return;
  if (!observed_from_ns_) {
    if (last_edge_ns_ == 0) return;  // nothing seen yet: no time to speak of
    observed_from_ns_ = std::min(through_ns, first_edge_ns_);
  }
  if (through_ns - *observed_from_ns_ < 1'000'000'000) return;
  store_.append(store::ObservedSpan{*observed_from_ns_ + wall_correction_ns_, through_ns + wall_correction_ns_});
  observed_from_ns_ = through_ns;
}

// A step starts a new journal file (one file, one offset); the sync state
// decides the clock_unsynced flag of live vehicles.
void Daemon::watch_clock() {
  const ClockWatch::Change c = clock_.poll();
  if (c.step_ns) {
    char text[64];
    std::snprintf(text, sizeof text, "%+.3f s", static_cast<double>(*c.step_ns) * 1e-9);
    log::warning(std::string("clock step: ") + text);
    // A live source keeps the offset it started with, so detection sees
    // time run on evenly; what it stamps is moved by every step since.
    if (source_->stamps_with_system_clock()) {
      wall_correction_ns_ += *c.step_ns;
      journal_.clock_step(static_cast<double>(*c.step_ns) * 1e-9);
    }
  }
  if (c.synchronized)
    log::info(*c.synchronized ? "system clock synchronised: live vehicles are no longer flagged clock_unsynced"
                              : "system clock not synchronised: live vehicles are flagged clock_unsynced");
}

void Daemon::report_status() {
  next_status_ = std::chrono::steady_clock::now() + status_interval;
  std::string text = std::to_string(vehicles_) + " vehicles, " + std::to_string(edges_) + " edges since start; " +
                     source_->describe() + (source_ended_ ? " (ended)" : "");
  if (const std::uint64_t dropped = store_.dropped()) text += "; " + std::to_string(dropped) + " vehicles dropped";
  std::string faults;
  for (std::size_t i = 0; i < source_site_->inputs.size(); ++i)
    for (FaultKind k : health_.health(static_cast<InputId>(i)).open_faults)
      faults += (faults.empty() ? "" : ", ") + source_site_->inputs[i].name + " " + std::string(to_string(k));
  text += faults.empty() ? "; sensors ok" : "; faults: " + faults;
  notifier_.status(text);
}

// Each fault is logged when it begins and when it ends: a chattering input
// makes two lines, not one per edge. (Stored as fault spans with the store.)
void Daemon::report_faults() {
  for (const FaultEvent& f : faults_) {
    const std::string what = source_site_->inputs.at(f.input).name + " " + std::string(to_string(f.kind));
    if (f.end_ns) store_fault(f);
    if (f.end_ns)
      log::info("fault ended: " + what + " from " + format_utc(f.start_ns) + " to " + format_utc(*f.end_ns) + " (" +
                f.detail + ")");
    else
      log::warning("fault: " + what + " since " + format_utc(f.start_ns) + " (" + f.detail + ")");
  }
  if (!faults_.empty()) report_status();
  faults_.clear();
}

void Daemon::on_signal(int signal) {
  if (signal == SIGHUP) {
    reload_site();
    signals_.async_wait([this](const boost::system::error_code& ec, int s) {
      if (!ec) on_signal(s);
    });
    return;
  }
  notifier_.stopping();
  log::info(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
  source_->stop();
  tick_timer_.cancel();
  decision_timer_.cancel();
  if (!source_ended_) {
    // Decide what the loops hold now; presences still open are not vehicles yet.
    detector_.finish(out_);
    emit(out_);
  }
  // Faults still open end now, as far as the stored spans go.
  health_.close_all(std::max(last_edge_ns_, source_->delivered_through_ns()), faults_);
  for (const FaultEvent& f : faults_) store_fault(f);
  faults_.clear();
  store_observed(source_->delivered_through_ns());
  store_.close();
  if (csv_) csv_->close();
  // The journal's end mark: the quiet time after the last edge was watched too.
  journal_.close(source_->delivered_through_ns() + wall_correction_ns_);
  if (detected_latency_.count() > 0)
    log::info("latency from a vehicle's last edge: to detection " + detected_latency_.summary() +
              "; of that, the event loop's own after detection could decide " + processing_latency_.summary() +
              "; to its committed row " + stored_latency_.summary());
  if (const auto b = source_->largest_backlog()) {
    const std::string name = b->input < site_->inputs.size() ? site_->inputs[b->input].name : "input " + std::to_string(b->input);
    log::info("edge backlog: at most " + std::to_string(b->edges) + " edges of " + name +
              " came while the event loop was busy; " + std::to_string(b->overflows) + " times more than " +
              std::to_string(EdgeSource::Backlog::kernel_queue) + " (the kernel's queue a line with libgpiod 1.6), " +
              std::to_string(b->edges_beyond) + " edges beyond it");
  }
  log::info("stopped: " + std::to_string(store_.committed()) + " vehicles stored in " +
            std::to_string(store_.vehicle_commits()) + " commits (" + std::to_string(store_.early_commits()) +
            " of them brought forward for a late vehicle)");
  io_.stop();
}

// A reloaded site takes over once the loops are empty, so each vehicle is
// measured with one geometry: the old for those already on the loops, the
// new for the rest. A bad file keeps the old one.
void Daemon::reload_site() {
  try {
    auto site = std::make_shared<const Site>(load_site_file(config_.site_file));
    if (!same_inputs(*site, *source_site_)) {
      log::error("SIGHUP: keeping the current site: " + config_.site_file.string() +
                 " changes the [[input]] lines, which needs a restart");
      return;
    }
    pending_site_ = std::move(site);
    log::info("SIGHUP: " + config_.site_file.string() + " read; it applies once the loops are clear");
  } catch (const std::exception& e) {
    log::error(std::string("SIGHUP: keeping the current site: ") + e.what());
  }
}

void Daemon::take_pending_site() {
  detector_.finish(out_);  // idle: releases nothing, but says so
  emit(out_);
  site_ = std::move(pending_site_);
  detector_ = VehicleDetector(*site_, VehicleDetector::Mode::live);
  detector_.keep_radar_passes();
  detector_.measure_radar_passes_in_pieces();  // no long call on the event loop
  log::info("site " + site_->id + " reloaded");
}

}  // namespace roadspeed

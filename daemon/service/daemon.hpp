// roadspeedd's core: one Asio io_context thread for the edge source,
// detection and timers; vehicles go to the writer thread. Signals: SIGTERM
// and SIGINT flush everything and end run() with 0; SIGHUP reloads the site
// file.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/health/sensor_health.hpp"
#include "daemon/journal/edge_journal.hpp"
#include "daemon/service/clock_watch.hpp"
#include "daemon/service/latency_meter.hpp"
#include "daemon/service/daemon_config.hpp"
#include "daemon/service/live_feed.hpp"
#include "daemon/service/log_limiter.hpp"
#include "daemon/service/systemd_notifier.hpp"
#include "daemon/service/store_writer.hpp"
#include "daemon/service/vehicle_log_writer.hpp"
#include "daemon/site/site.hpp"
#include "drivers/edge_source.hpp"

namespace roadspeed {

class Daemon {
 public:
  // Opens the source and the vehicle file: start-up errors throw here.
  explicit Daemon(DaemonConfig config);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until SIGTERM or SIGINT; returns the exit status.
  int run();

  // How often detection is told the time when no edge comes, and STATUS= renewed.
  static constexpr std::chrono::milliseconds advance_interval{200};
  static constexpr std::chrono::seconds status_interval{10};

 private:
  void on_edges(std::span<const Edge> edges);
  void on_source_end(const std::string& error);
  void on_signal(int signal);
  void reload_site();
  void take_pending_site();
  void schedule_tick();
  void tick();
  void schedule_decision();
  void decide_now();
  void produced_at(std::int64_t t_ns);
  void advance_detection(std::int64_t through_ns);
  void emit(std::vector<Vehicle>& vehicles);
  void report_status();
  void report_faults();
  void watch_clock();
  void store_fault(const FaultEvent& f);
  void store_observed(std::int64_t through_ns);

  DaemonConfig config_;
  std::shared_ptr<const Site> site_;
  std::shared_ptr<const Site> source_site_;   // the one the source maps inputs with
  std::shared_ptr<const Site> pending_site_;  // reloaded, waiting for clear loops
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer decision_timer_;  // when detection next has something to decide
  SystemdNotifier notifier_;
  LogLimiter limited_log_;  // run-time errors a failing input can repeat endlessly
  ClockWatch clock_;
  StoreWriter store_;
  std::optional<VehicleLogWriter> csv_;  // the optional vehicles_file
  EdgeJournal journal_;
  VehicleDetector detector_;
  SensorHealth health_;
  std::vector<FaultEvent> faults_;
  std::unique_ptr<EdgeSource> source_;
  std::unique_ptr<LiveFeed> feed_;  // none when its socket cannot be made
  std::vector<Vehicle> out_;
  std::vector<RadarPass> passes_;  // closed by detection, for the journal
  std::int64_t scheduled_wake_ns_ = std::numeric_limits<std::int64_t>::max();  // of decision_timer_
  bool decision_pending_ = false;     // decision_timer_ is set
  std::int64_t told_through_ns_ = 0;  // the latest time detection was told (an edge or advance_to)
  std::vector<std::int64_t> produced_at_ns_;  // per vehicle in out_: the detector's time then
  std::vector<std::chrono::steady_clock::time_point> last_edge_at_;  // per vehicle emitted, for the store
  // From a vehicle's last edge: to its detection, of that the event loop's
  // own part (after detection had all it waits for), and to its stored row.
  LatencyMeter detected_latency_, processing_latency_, stored_latency_;
  std::vector<Edge> corrected_;
  std::int64_t wall_correction_ns_ = 0;  // clock steps since the source started
  std::optional<std::int64_t> observed_from_ns_;  // start of the span not yet stored as observed
  std::uint64_t vehicles_ = 0, edges_ = 0;
  std::int64_t first_edge_ns_ = 0, last_edge_ns_ = 0;
  bool source_ended_ = false;
  std::chrono::steady_clock::time_point next_status_{};
  std::chrono::steady_clock::time_point next_watchdog_{};
  std::optional<std::chrono::microseconds> watchdog_interval_;
};

}  // namespace roadspeed

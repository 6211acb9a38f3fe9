// An EdgeSource fed by a producer on its own thread (the simulator, a trace
// reader) and released on the io_context either at the pace the timestamps
// say or as fast as the daemon takes them. The producer runs ahead behind a
// bounded queue, so memory stays flat and the event loop never waits on it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <span>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drivers/edge_source.hpp"

namespace roadspeed {

enum class Pace {
  recorded,  // an edge is released when the steady clock reaches its time
  fast,      // as fast as the event loop takes them
};

class PacedEdgeSource final : public EdgeSource {
 public:
  // Called once on the producer thread; calls `emit` for every edge, in
  // time order, and returns at the end of its input. May throw: the
  // exception's message ends the source as an error.
  using Producer = std::function<void(const std::function<void(const Edge&)>& emit)>;

  // With Pace::recorded, `epoch_at_start_ns` is the edge time that maps to
  // the moment start() is called; without it, the first edge's time does.
  PacedEdgeSource(boost::asio::io_context& io, Producer producer, Pace pace, std::string description,
                  std::optional<std::int64_t> epoch_at_start_ns = std::nullopt);
  ~PacedEdgeSource() override;
  PacedEdgeSource(const PacedEdgeSource&) = delete;
  PacedEdgeSource& operator=(const PacedEdgeSource&) = delete;

  void start(Handlers handlers) override;
  std::int64_t delivered_through_ns() const override;
  void stop() override;
  std::string describe() const override { return description_; }
  std::optional<std::int64_t> clock_now_ns() const override;
  // A source started at a given wall-clock time (the live simulator) lives
  // on this machine's clock; one paced by its first edge replays a recording.
  bool stamps_with_system_clock() const override { return epoch_at_start_ns_.has_value(); }
  // At recorded pace: edges due after the timer should have woken the loop,
  // or while it handled the previous batch (docs/benchmarks.md, "Backlog").
  std::optional<Backlog> largest_backlog() const override;

  // The longest sleep between looks at the queue (the producer may be
  // behind with the next batch); otherwise it wakes when the next edge is due.
  static constexpr std::chrono::milliseconds pace_tick{10};
  // Edges due sooner than this after one another go out together.
  static constexpr std::chrono::milliseconds min_pace_tick{1};
  // Edges a batch holds, and batches the producer may run ahead.
  static constexpr std::size_t batch_edges = 4096;
  static constexpr std::size_t max_batches_ahead = 8;

 private:
  struct Batch {
    std::vector<Edge> edges;
    bool last = false;
    std::string error;  // on the last batch: why it ended early
  };

  void produce();
  void push_batch(Batch&& b);
  void tick();
  // Counts, per input, the edges of `batch` due at or after `since_ns`.
  void note_backlog(std::span<const Edge> batch, std::int64_t since_ns);
  // Takes the front batch when one is there; never waits.
  bool refill();
  std::int64_t now_as_edge_time_ns() const;

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  Producer producer_;
  Pace pace_;
  std::string description_;
  std::optional<std::int64_t> epoch_at_start_ns_;
  Handlers handlers_;

  // Shared with the producer thread.
  std::mutex mutex_;
  std::condition_variable space_;
  std::deque<Batch> ready_;
  bool stopping_ = false;

  // Event-loop side.
  Batch current_;
  std::size_t position_ = 0;
  bool started_ = false, ended_ = false;
  std::optional<std::int64_t> offset_ns_;  // edge time - steady time
  std::int64_t delivered_through_ns_ = 0;
  // When the pending timer is due, in edge time; min() when none is.
  std::int64_t timer_due_ns_ = std::numeric_limits<std::int64_t>::min();
  std::vector<std::size_t> backlog_scratch_;  // per input, one batch
  Backlog largest_backlog_;
  std::thread producer_thread_;
};

}  // namespace roadspeed

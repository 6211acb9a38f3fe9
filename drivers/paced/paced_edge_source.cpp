#include "drivers/paced/paced_edge_source.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <limits>
#include <span>
#include <utility>

namespace roadspeed {
namespace {

// Thrown inside the producer's emit() to unwind it when the source stops.
struct Stopped {};

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PacedEdgeSource::PacedEdgeSource(boost::asio::io_context& io, Producer producer, Pace pace, std::string description,
                                 std::optional<std::int64_t> epoch_at_start_ns)
    : io_(io),
      timer_(io),
      producer_(std::move(producer)),
      pace_(pace),
      description_(std::move(description)),
      epoch_at_start_ns_(epoch_at_start_ns) {}

PacedEdgeSource::~PacedEdgeSource() { stop(); }

void PacedEdgeSource::start(Handlers handlers) {
  if (started_) return;
  started_ = true;
  handlers_ = std::move(handlers);
  if (epoch_at_start_ns_) offset_ns_ = *epoch_at_start_ns_ - steady_now_ns();
  producer_thread_ = std::thread([this] { produce(); });
  tick();
}

void PacedEdgeSource::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  space_.notify_all();
  timer_.cancel();
  ended_ = true;
  if (producer_thread_.joinable()) producer_thread_.join();
}

// Between ticks, time passes up to the next edge not yet delivered, when
// that edge is known (the producer may be behind with the next batch).
std::int64_t PacedEdgeSource::delivered_through_ns() const {
  if (pace_ != Pace::recorded || !offset_ns_ || position_ == current_.edges.size()) return delivered_through_ns_;
  return std::max(delivered_through_ns_, std::min(now_as_edge_time_ns(), current_.edges[position_].t_ns - 1));
}

std::optional<std::int64_t> PacedEdgeSource::clock_now_ns() const {
  if (pace_ != Pace::recorded || !offset_ns_) return std::nullopt;
  return now_as_edge_time_ns();
}

// ---- producer thread --------------------------------------------------------

void PacedEdgeSource::produce() {
  Batch b;
  try {
    producer_([&](const Edge& e) {
      b.edges.push_back(e);
      if (b.edges.size() == batch_edges) push_batch(std::exchange(b, Batch{}));
    });
  } catch (const Stopped&) {
    return;
  } catch (const std::exception& e) {
    b.error = e.what();
  }
  b.last = true;
  try {
    push_batch(std::move(b));
  } catch (const Stopped&) {
  }
}

void PacedEdgeSource::push_batch(Batch&& b) {
  std::unique_lock lock(mutex_);
  space_.wait(lock, [this] { return stopping_ || ready_.size() < max_batches_ahead; });
  if (stopping_) throw Stopped{};
  ready_.push_back(std::move(b));
}

// ---- event loop -------------------------------------------------------------

bool PacedEdgeSource::refill() {
  {
    std::lock_guard lock(mutex_);
    if (ready_.empty()) return false;
    current_ = std::move(ready_.front());
    ready_.pop_front();
  }
  space_.notify_one();
  position_ = 0;
  return true;
}

std::int64_t PacedEdgeSource::now_as_edge_time_ns() const {
  if (pace_ == Pace::fast) return std::numeric_limits<std::int64_t>::max();
  return offset_ns_ ? steady_now_ns() + *offset_ns_ : std::numeric_limits<std::int64_t>::min();
}

std::optional<EdgeSource::Backlog> PacedEdgeSource::largest_backlog() const {
  if (pace_ != Pace::recorded) return std::nullopt;
  return largest_backlog_;
}

// A GPIO line the loop is too busy to read queues its events in the kernel:
// those due since the loop should have looked (the timer's due time, or
// the last look when it was busy with a batch) all wait at once.
void PacedEdgeSource::note_backlog(std::span<const Edge> batch, std::int64_t since_ns) {
  for (const Edge& e : batch) {
    if (e.t_ns < since_ns) continue;
    if (e.input >= backlog_scratch_.size()) backlog_scratch_.resize(e.input + 1u, 0);
    ++backlog_scratch_[e.input];
  }
  for (std::size_t i = 0; i < backlog_scratch_.size(); ++i) {
    const std::size_t n = std::exchange(backlog_scratch_[i], 0);
    if (n > largest_backlog_.edges) {
      largest_backlog_.edges = n;
      largest_backlog_.input = static_cast<std::uint16_t>(i);
    }
    if (n > Backlog::kernel_queue) {
      ++largest_backlog_.overflows;
      largest_backlog_.edges_beyond += n - Backlog::kernel_queue;
    }
  }
}

void PacedEdgeSource::tick() {
  auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(pace_tick);
  // Edges due from here on came while the loop was late or busy.
  std::int64_t busy_since_ns = std::exchange(timer_due_ns_, std::numeric_limits<std::int64_t>::min());
  for (;;) {
    if (ended_) return;
    if (position_ == current_.edges.size()) {
      if (current_.last) {
        ended_ = true;
        if (handlers_.on_end) handlers_.on_end(current_.error);
        return;
      }
      if (!refill()) break;  // the producer is behind: look again next tick
      continue;
    }
    // The first edge sets the pace when no start time was given.
    if (pace_ == Pace::recorded && !offset_ns_) offset_ns_ = current_.edges[position_].t_ns - steady_now_ns();
    const std::int64_t now_ns = now_as_edge_time_ns();
    const auto begin = current_.edges.begin() + static_cast<std::ptrdiff_t>(position_);
    const auto due = std::upper_bound(begin, current_.edges.end(), now_ns,
                                      [](std::int64_t t, const Edge& e) { return t < e.t_ns; });
    if (due == begin) {
      // The next edge lies ahead: everything before now has been delivered.
      // Wake when it is due, so it arrives on time, not a tick late.
      delivered_through_ns_ = std::max(delivered_through_ns_, now_ns);
      wait = std::clamp(std::chrono::nanoseconds(begin->t_ns - now_ns), std::chrono::nanoseconds(min_pace_tick),
                        wait);
      break;
    }
    const std::span<const Edge> edges(&*begin, static_cast<std::size_t>(due - begin));
    position_ += edges.size();
    delivered_through_ns_ = std::max(delivered_through_ns_, edges.back().t_ns);
    if (pace_ == Pace::recorded && busy_since_ns != std::numeric_limits<std::int64_t>::min())
      note_backlog(edges, busy_since_ns);
    handlers_.on_edges(edges);
    if (pace_ == Pace::recorded) busy_since_ns = now_ns + 1;  // what comes due while these are handled waits
    if (pace_ == Pace::fast) {
      // Let the loop's other work (signals, timers) run between batches.
      boost::asio::post(io_, [this] { tick(); });
      return;
    }
  }
  if (ended_) return;
  if (pace_ == Pace::recorded && offset_ns_) timer_due_ns_ = now_as_edge_time_ns() + wait.count();
  timer_.expires_after(wait);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

}  // namespace roadspeed

#include "daemon/journal/edge_journal.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "daemon/journal/pass_record.hpp"

namespace roadspeed {
namespace fs = std::filesystem;
namespace {

std::string format_step(double step_s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "clock step: %+.3f s", step_s);
  return buf;
}

// The folder must exist before the series look into it.
fs::path make_folder(fs::path dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw std::runtime_error("cannot use journal folder " + dir.string() + ": " + ec.message());
  return dir;
}

}  // namespace

EdgeJournal::EdgeJournal(fs::path dir, std::shared_ptr<const Site> site, JournalLimits limits, bool radar_edges)
    : dir_(make_folder(std::move(dir))),
      site_(std::move(site)),
      journaled_(site_->inputs.size(), true),
      edges_(dir_, edge_journal, limits),
      passes_(dir_, pass_journal, limits) {
  if (!radar_edges)
    for (const Radar& r : site_->radars) {
      journaled_.at(r.input) = false;
      if (r.input_q) journaled_.at(*r.input_q) = false;
    }
  tidy_journal(dir_, limits);
  thread_ = std::thread([this] { run(); });
}

EdgeJournal::~EdgeJournal() { close(); }

void EdgeJournal::push(Item item, std::size_t size) {
  {
    std::lock_guard lock(mutex_);
    if (queued_edges_ + size > max_queued_edges) {
      dropped_ += size;
      return;
    }
    queued_edges_ += size;
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
}

void EdgeJournal::append(std::span<const Edge> edges) {
  Item item;
  for (const Edge& e : edges)
    if (e.input < journaled_.size() && journaled_[e.input]) item.edges.push_back(e);
  if (item.edges.empty()) return;
  const std::size_t size = item.edges.size();
  push(std::move(item), size);
}

void EdgeJournal::append_passes(std::vector<RadarPass>& passes, std::shared_ptr<const Site> site,
                                std::int64_t correction_ns) {
  if (passes.empty()) return;
  std::size_t size = 0;
  for (const RadarPass& p : passes) size += p.segment.blocks.size();
  Item item;
  item.passes.swap(passes);
  item.correction_ns = correction_ns;
  item.pass_site = std::move(site);
  push(std::move(item), size);
}

void EdgeJournal::clock_step(double step_s) {
  {
    std::lock_guard lock(mutex_);
    Item item;
    item.clock_step_s = step_s;
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
}

void EdgeJournal::close(std::int64_t watched_through_ns) {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    watched_through_ns_ = std::max(watched_through_ns_, watched_through_ns);
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t EdgeJournal::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void EdgeJournal::run() {
  std::vector<Item> items;
  for (bool closing = false; !closing;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      closing = closing_;
      items.swap(queue_);
      queued_edges_ = 0;
    }
    try {
      for (const Item& item : items) write(item);
      if (writer_) writer_->flush();
      if (passes_.is_open()) passes_.stream().flush();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "<3>roadspeedd: edge journal: %s\n", e.what());
    }
    items.clear();
  }
  std::int64_t watched_through_ns = 0;
  {
    std::lock_guard lock(mutex_);
    watched_through_ns = watched_through_ns_;
  }
  try {
    if (writer_) end_edges(std::max(edges_.last_ns(), watched_through_ns), false);
    if (passes_.is_open()) passes_.end(std::max(passes_.last_ns(), watched_through_ns), false);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "<3>roadspeedd: edge journal: %s\n", e.what());
  }
}

void EdgeJournal::write(const Item& item) {
  if (item.clock_step_s) {
    // The wall-clock offset changes: one file holds one offset.
    if (writer_) end_edges(edges_.last_ns(), true);
    if (passes_.is_open()) passes_.end(passes_.last_ns(), true);
    pending_step_s_ = pending_pass_step_s_ = item.clock_step_s;
    return;
  }
  for (const Edge& e : item.edges) write_edge(e);
  for (const RadarPass& p : item.passes) write_pass(p, *item.pass_site, item.correction_ns);
}

std::vector<std::string> EdgeJournal::header_comments() {
  return {"site: " + site_->id};
}

void EdgeJournal::write_edge(const Edge& e) {
  if (edges_.due(e.t_ns)) end_edges(e.t_ns, true);  // the next file takes over at this edge: no gap between them
  if (!writer_) {
    std::ostream& out = edges_.begin(e.t_ns);
    std::vector<std::string> comments;
    if (const auto step = std::exchange(pending_step_s_, std::nullopt)) comments.push_back(format_step(*step));
    for (std::string& c : header_comments()) comments.push_back(std::move(c));
    comments.push_back("raw edge journal of roadspeedd");
    writer_ = std::make_unique<TraceWriter>(out, *site_, comments);
  }
  writer_->write(e);
  // The writer buffers: count the row's text (time, name, level, two commas, newline).
  edges_.wrote(e.t_ns, std::to_string(e.t_ns).size() + site_->inputs[e.input].name.size() + 4);
}

// A pass's time is when it closed: radars close passes at their own pace,
// so a file's rows stay in order by taking the later of that and the last row's.
void EdgeJournal::write_pass(const RadarPass& p, const Site& site, std::int64_t correction_ns) {
  std::int64_t t_ns = p.closed_ns + correction_ns;
  if (passes_.is_open()) t_ns = std::max(t_ns, passes_.last_ns());
  if (passes_.due(t_ns)) passes_.end(t_ns, true);
  if (!passes_.is_open()) {
    std::ostream& out = passes_.begin(t_ns);
    out << pass_journal_version_line << '\n';
    if (const auto step = std::exchange(pending_pass_step_s_, std::nullopt)) out << "# " << format_step(*step) << '\n';
    for (const std::string& c : header_comments()) out << "# " << c << '\n';
    out << "# radar pass journal of roadspeedd\n" << pass_journal_columns << '\n';
  }
  const RadarSegment* s = &p.segment;
  RadarSegment moved;
  if (correction_ns != 0) {
    moved = p.segment;
    for (RadarBlock& b : moved.blocks) b.first_ns += correction_ns, b.last_ns += correction_ns;
    s = &moved;
  }
  row_.clear();
  append_pass_row(row_, t_ns, site.detector_id(p.detector), *s);
  passes_.stream() << row_;
  passes_.wrote(t_ns, row_.size());
}

void EdgeJournal::end_edges(std::int64_t end_ns, bool compress) {
  writer_->flush();
  writer_.reset();
  edges_.end(end_ns, compress);
}

}  // namespace roadspeed

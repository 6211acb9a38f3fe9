#include "daemon/journal/edge_journal.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "daemon/journal/journal_files.hpp"

namespace roadspeed {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view open_suffix = journal_open_suffix;
constexpr std::string_view closed_suffix = journal_closed_suffix;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string format_step(double step_s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "clock step: %+.3f s", step_s);
  return buf;
}

}  // namespace

void compress_trace_file(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + from.string() + ": " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A power cut may have left half a line: the reader would reject it.
  text.resize(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  const fs::path tmp = to.string() + ".tmp";
  gzFile gz = gzopen(tmp.c_str(), "wb6");
  if (!gz) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
  const bool ok = text.empty() || gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) > 0;
  if (gzclose(gz) != Z_OK || !ok) {
    fs::remove(tmp);
    throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, to);
  fs::remove(from);
}

EdgeJournal::EdgeJournal(fs::path dir, std::shared_ptr<const Site> site, JournalLimits limits)
    : dir_(std::move(dir)), site_(std::move(site)), limits_(limits), journaled_(site_->inputs.size(), true) {
  for (const Radar& r : site_->radars) {
    journaled_.at(r.input) = false;
    if (r.input_q) journaled_.at(*r.input_q) = false;
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_))
    throw std::runtime_error("cannot use journal folder " + dir_.string() + ": " + ec.message());
  // Files a previous run left open (stopped, or cut by a power failure).
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (ends_with(name, open_suffix))
      compress_trace_file(entry.path(), entry.path().string() + ".gz");
  }
  tidy();
  thread_ = std::thread([this] { run(); });
}

EdgeJournal::~EdgeJournal() { close(); }

void EdgeJournal::append(std::span<const Edge> edges) {
  Item item;
  for (const Edge& e : edges)
    if (e.input < journaled_.size() && journaled_[e.input]) item.edges.push_back(e);
  if (item.edges.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (queued_edges_ + item.edges.size() > max_queued_edges) {
      dropped_ += item.edges.size();
      return;
    }
    queued_edges_ += item.edges.size();
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
}

void EdgeJournal::clock_step(double step_s) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Item{{}, step_s});
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
    if (writer_) end_file(std::max(last_edge_ns_, watched_through_ns));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "<3>roadspeedd: edge journal: %s\n", e.what());
  }
  writer_.reset();
  file_.close();
}

void EdgeJournal::write(const Item& item) {
  if (item.clock_step_s) {
    // The wall-clock offset changes: one file holds one offset.
    if (writer_) rotate(last_edge_ns_);
    pending_step_s_ = item.clock_step_s;
    return;
  }
  for (const Edge& e : item.edges) {
    if (writer_ && (e.t_ns - file_first_ns_ >= std::chrono::nanoseconds(limits_.max_file_age).count() ||
                    file_bytes_ >= limits_.max_file_bytes))
      rotate(e.t_ns);  // the next file takes over at this edge: no gap between them
    if (!writer_) open_file(e.t_ns, std::exchange(pending_step_s_, std::nullopt));
    writer_->write(e);
    last_edge_ns_ = e.t_ns;
    // The writer buffers: count the row's text (time, name, level, two commas, newline).
    file_bytes_ += std::to_string(e.t_ns).size() + site_->inputs[e.input].name.size() + 4;
  }
}

void EdgeJournal::open_file(std::int64_t first_t_ns, const std::optional<double>& clock_step_s) {
  const std::string stem = journal_file_stem(first_t_ns);
  current_path_ = dir_ / (stem + std::string(open_suffix));
  for (int n = 1; fs::exists(current_path_) || fs::exists(current_path_.string() + ".gz"); ++n)
    current_path_ = dir_ / (stem + "-" + std::to_string(n) + std::string(open_suffix));
  file_.open(current_path_, std::ios::binary | std::ios::trunc);
  if (!file_) throw std::runtime_error("cannot create " + current_path_.string() + ": " + std::strerror(errno));
  std::vector<std::string> comments;
  if (clock_step_s) comments.push_back(format_step(*clock_step_s));
  comments.push_back("site: " + site_->id);
  comments.push_back("raw edge journal of roadspeedd");
  writer_ = std::make_unique<TraceWriter>(file_, *site_, comments);
  file_first_ns_ = first_t_ns;
  file_bytes_ = 0;
}

// Edges were watched through `end_ns`: what a reader may take as covered.
void EdgeJournal::end_file(std::int64_t end_ns) {
  writer_->comment(journal_end_comment(end_ns));
  writer_->flush();
}

void EdgeJournal::rotate(std::int64_t end_ns) {
  end_file(end_ns);
  writer_.reset();
  file_.close();
  compress_trace_file(current_path_, current_path_.string() + ".gz");
  tidy();
}

// Deletes the oldest compressed files beyond the folder's limits.
void EdgeJournal::tidy() {
  std::vector<fs::directory_entry> closed;
  for (const auto& entry : fs::directory_iterator(dir_))
    if (ends_with(entry.path().filename().string(), closed_suffix)) closed.push_back(entry);
  std::sort(closed.begin(), closed.end(), [](const auto& a, const auto& b) { return a.path() > b.path(); });
  std::uint64_t total = 0;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : closed) {
    total += entry.file_size();
    if (total > limits_.max_total_bytes || now - entry.last_write_time() > limits_.max_age) fs::remove(entry.path());
  }
}

}  // namespace roadspeed

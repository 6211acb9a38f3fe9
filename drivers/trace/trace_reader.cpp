// The roadspeed trace reader (spec/interfaces.md §1) and format detection.
//
// Replaying a long trace must cost about what `wc -l` costs, so the common
// row is parsed straight from the read buffer, eight or sixteen bytes at a
// time (row_words.hpp), row after row in a loop of its own, with no
// allocation or call per line; any row that fast path does not take (nor
// one whose time goes backwards) goes to a checked path that either accepts
// it (e.g. a time with leading zeros) or says exactly what is wrong. Both
// must agree: tests and the fuzzer compare them.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <exception>
#include <limits>
#include <utility>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/row_words.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed {
namespace trace_detail {

// --- TraceReader -------------------------------------------------------------

namespace {

constexpr std::string_view kHeader = "# roadspeed-trace 1";
constexpr std::string_view kHeaderPrefix = "# roadspeed-trace";
constexpr std::string_view kColumns = "time_ns,input,level";

std::size_t count_fields(std::string_view line) {
  return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1;
}

std::string_view field(std::string_view line, std::size_t index) {
  for (; index > 0; --index) line.remove_prefix(line.find(',') + 1);
  return line.substr(0, line.find(','));
}

// Resolves input names to ids. A site has a handful of inputs, so a scan
// comparing one 64-bit key per name (its first and last 8 bytes and its
// length) beats hashing; a matching key is confirmed in full beyond 8 bytes.
class NameTable {
  // The names a row can hold, in the site's order.
  static std::vector<std::pair<std::string_view, InputId>> usable_names(const Site& site) {
    std::vector<std::pair<std::string_view, InputId>> names;
    const std::size_t n = std::min<std::size_t>(site.inputs.size(),
                                                std::numeric_limits<InputId>::max() + std::size_t{1});
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& name = site.inputs[i].name;
      // Such a name can never be a field of a row; keep the fast path from
      // matching one across a line break.
      if (name.find_first_of(",\n") != std::string::npos) continue;
      names.emplace_back(name, InputId(i));
    }
    return names;
  }

 public:
  explicit NameTable(const Site& site) : short_names_(usable_names(site)) {
    for (const auto& [name, id] : usable_names(site)) entries_.push_back({name, key_of(name), id});
  }

  const ShortNames& short_names() const { return short_names_; }

  // `name` lies in a buffer that stays readable up to name.data() + 8.
  std::optional<InputId> find_in_buffer(std::string_view name) const {
    return find(name, key_at(name.data(), name.size()));
  }

  std::optional<InputId> find(std::string_view name) const { return find(name, key_of(name)); }

 private:
  struct Entry {
    std::string_view name;  // into the Site
    std::uint64_t key;
    InputId id;
  };

  // Loads the first 8 bytes (readable past the end), then the last 8.
  static std::uint64_t key_at(const char* p, std::size_t size) {
    const std::uint64_t head = load8(p) & low_bytes_mask(size);
    const std::uint64_t tail = size > 8 ? load8(p + size - 8) : 0;
    return head ^ std::rotl(tail, 29) ^ size;
  }

  static std::uint64_t key_of(std::string_view name) {
    if (name.size() >= 8) return key_at(name.data(), name.size());
    char padded[8] = {};
    name.copy(padded, 8);
    return key_at(padded, name.size());
  }

  std::optional<InputId> find(std::string_view name, std::uint64_t key) const {
    for (const auto& e : entries_) {
      if (e.key == key && e.name.size() == name.size() &&
          (name.size() <= 8 || std::memcmp(e.name.data(), name.data(), name.size()) == 0)) {
        return e.id;
      }
    }
    return std::nullopt;
  }

  ShortNames short_names_;  // the same names, the fast path's first try
  std::vector<Entry> entries_;
};

class TraceReader final : public EdgeReader {
 public:
  TraceReader(LineSource lines, const Site& site)
      : lines_(std::move(lines)), site_(site), names_(site) {
    read_header();
  }

  std::optional<Edge> next() override {
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    Edge e;
    if (!take(e)) return std::nullopt;
    return e;
  }

  std::size_t read(std::span<Edge> out) override {
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    std::size_t n = 0;
    try {
      while (n < out.size()) {
        n += take_fast_rows(out.subspan(n));
        // A row the fast loop left (or the buffer's end): one by take().
        if (n == out.size() || !take(out[n])) break;
        ++n;
      }
    } catch (...) {
      if (n == 0) throw;
      error_ = std::current_exception();  // after the edges before it
    }
    return n;
  }

 private:
  bool take(Edge& e) {
    const char* after = nullptr;
    if (fast_path_open(lines_.data(), lines_.data_end())) after = parse_fast(lines_.data(), e, time19_);
    if (after != nullptr) {
      lines_.consume_line(after);
    } else if (!next_checked(e)) {
      return false;
    }
    if (e.t_ns < last_t_ns_) fail_backwards(e.t_ns);
    last_t_ns_ = e.t_ns;
    return true;
  }
  void read_header();
  std::size_t take_fast_rows(std::span<Edge> out);
  // Bytes the fast path may read from a row's start: every load of the
  // longest row it takes stays inside the data.
  static constexpr std::ptrdiff_t kFastRowRoom = 64;
  bool fast_path_open(const char* p, const char* end) const {
    return kFastPath && columns_ == 3 && end - p >= kFastRowRoom;
  }
  // Inlined into take_fast_rows(), where the row's values then stay in
  // registers; a call per row cost a fifth of the reader thread.
  [[gnu::always_inline]] const char* parse_fast(const char* p, Edge& e, NineteenDigits& time19) const;
  bool next_checked(Edge& e);
  Edge parse_checked(std::string_view line);
  std::int64_t parse_time(std::string_view text) const;
  InputId parse_input(std::string_view name) const;
  std::uint8_t parse_level(std::string_view text) const;
  [[noreturn]] void fail_backwards(std::int64_t t_ns) const;
  [[noreturn]] void fail_unknown_input(std::string_view name) const;

  LineSource lines_;
  const Site& site_;
  NameTable names_;
  std::size_t columns_ = 3;  // later versions may add columns at the end
  std::int64_t last_t_ns_ = 0;
  NineteenDigits time19_;
  std::exception_ptr error_;  // found by read() after some edges: thrown next
};

void TraceReader::read_header() {
  const auto first = lines_.next();
  if (!first) lines_.fail_at(1, "empty file: expected '" + std::string(kHeader) + "'");
  if (*first != kHeader) {
    if (first->starts_with(std::string(kHeaderPrefix) + " ")) {
      lines_.fail("unsupported trace version '" + printable(first->substr(kHeaderPrefix.size() + 1)) +
                  "' (this program reads version 1)");
    }
    lines_.fail("missing header: the first line must be '" + std::string(kHeader) + "'");
  }
  for (;;) {
    const auto line = lines_.next();
    if (!line) lines_.fail_at(lines_.line_number() + 1, "missing column line '" + std::string(kColumns) + "'");
    if (!line->empty() && line->front() == '#') continue;
    // Columns added after `level` by a later writer are accepted and skipped.
    if (*line != kColumns && !line->starts_with(std::string(kColumns) + ",")) {
      lines_.fail("expected column line '" + std::string(kColumns) + "', got '" + printable(*line) + "'");
    }
    columns_ = count_fields(*line);
    return;
  }
}

// Rows straight from the buffer into `out` while parse_fast() takes them
// and time does not go backwards; stops before any other line (which
// take() then reads, or reports) and near the buffer's end. Everything
// lives in locals here: stored to members per row, each would be reloaded
// after every edge written (an int64 store may alias them).
std::size_t TraceReader::take_fast_rows(std::span<Edge> out) {
  const char* p = lines_.data();
  const char* const end = lines_.data_end();
  if (!fast_path_open(p, end)) return 0;
  const char* const last_start = end - kFastRowRoom;
  std::int64_t last_t_ns = last_t_ns_;
  NineteenDigits time19 = time19_;
  std::size_t n = 0;
  for (; n < out.size() && p <= last_start; ++n) {
    Edge e;
    const char* const after = parse_fast(p, e, time19);
    if (after == nullptr || e.t_ns < last_t_ns) break;
    out[n] = e;
    last_t_ns = e.t_ns;
    p = after;
  }
  lines_.consume_lines(p, n);
  last_t_ns_ = last_t_ns;
  time19_ = time19;
  return n;
}

// The common row: at most 19 digits, a known name of at most 31 bytes, a
// 0/1 level, "\n" or "\r\n", at `p` with kFastRowRoom bytes readable
// (fast_path_open). Returns the byte after the row, or nullptr for anything
// else (including a row cut by the end of the buffer), which next_checked()
// then handles. The longest row taken here is 55 bytes.
inline const char* TraceReader::parse_fast(const char* p, Edge& e, NineteenDigits& time19) const {
  std::uint64_t t = 0;
  const char* name = p + 20;
  if (p[19] != ',' || !time19.parse(p, t)) {
    const std::size_t digits = digit_run(p);  // loads at most p[0..23]
    if (digits == 0 || p[digits] != ',') return nullptr;
    t = parse_digits(p, digits);
    if (t > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return nullptr;
    name = p + digits + 1;  // at most p + 20
  }
  InputId id = 0;
  const char* level = nullptr;
  if (const ShortNames::Match* m = names_.short_names().find(name)) {  // loads up to name + 15
    id = m->id;
    level = name + m->size + 1;
  } else {
    const std::size_t name_size = comma_within_32(name);
    if (name_size == 32) return nullptr;
    const auto found = names_.find_in_buffer({name, name_size});
    if (!found) return nullptr;
    id = *found;
    level = name + name_size + 1;  // at most p + 52
  }
  // "0\n" or "1\n" as one 16-bit word, else "0\r\n" or "1\r\n".
  std::uint16_t level_end;
  std::memcpy(&level_end, level, 2);
  const char* after = nullptr;
  if ((level_end & 0xFFFE) == 0x0A30) {
    after = level + 2;
  } else if ((level_end & 0xFFFE) == 0x0D30 && level[2] == '\n') {
    after = level + 3;
  } else {
    return nullptr;
  }
  e = Edge{static_cast<std::int64_t>(t), id, static_cast<std::uint8_t>(level[0] - '0')};
  return after;
}

// Any line: comments, rows the fast path declined, the end of the input.
bool TraceReader::next_checked(Edge& e) {
  for (;;) {
    const auto line = lines_.next();
    if (!line) return false;
    if (line->empty()) lines_.fail("blank line");
    if (line->front() == '#') continue;
    e = parse_checked(*line);
    return true;
  }
}

// Any row: returns it if it is valid after all, else says what is wrong.
Edge TraceReader::parse_checked(std::string_view line) {
  const std::size_t n = count_fields(line);
  if (n != columns_) {
    lines_.fail("expected " + std::to_string(columns_) + " fields (" + std::string(kColumns) +
                (columns_ > 3 ? ",..." : "") + "), got " + std::to_string(n));
  }
  Edge e;
  e.t_ns = parse_time(field(line, 0));
  e.input = parse_input(field(line, 1));
  e.level = parse_level(field(line, 2));
  return e;
}

std::int64_t TraceReader::parse_time(std::string_view text) const {
  if (text.empty()) lines_.fail("time_ns is empty");
  const bool digits_only = std::all_of(text.begin() + (text.front() == '-' ? 1 : 0), text.end(),
                                       [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only || text == "-") lines_.fail("time_ns '" + printable(text) + "' is not an integer");
  if (text.front() == '-') lines_.fail("time_ns '" + printable(text) + "' is negative");
  std::int64_t t = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
  if (ec != std::errc{} || ptr != text.data() + text.size()) {
    lines_.fail("time_ns '" + printable(text) + "' is out of range (the largest is " +
                std::to_string(std::numeric_limits<std::int64_t>::max()) + ")");
  }
  return t;
}

InputId TraceReader::parse_input(std::string_view name) const {
  const auto id = names_.find(name);
  if (!id) fail_unknown_input(name);
  return *id;
}

std::uint8_t TraceReader::parse_level(std::string_view text) const {
  if (text != "0" && text != "1") lines_.fail("level '" + printable(text) + "' is not 0 or 1");
  return static_cast<std::uint8_t>(text[0] - '0');
}

void TraceReader::fail_backwards(std::int64_t t_ns) const {
  lines_.fail("time goes backwards by " + std::to_string(last_t_ns_ - t_ns) + " ns (previous " +
              std::to_string(last_t_ns_) + ")");
}

void TraceReader::fail_unknown_input(std::string_view name) const {
  std::string known;
  for (const auto& input : site_.inputs) known += (known.empty() ? "" : ", ") + input.name;
  lines_.fail("unknown input '" + printable(name) + "' (the site's inputs are: " +
              (known.empty() ? "none" : known) + ")");
}

}  // namespace

std::unique_ptr<EdgeReader> make_trace_reader(LineSource lines, const Site& site) {
  return std::make_unique<TraceReader>(std::move(lines), site);
}

std::unique_ptr<EdgeReader> make_edge_reader(LineSource lines, const Site& site, GpiomonOptions options) {
  const std::string_view first = lines.peek_first_line();
  if (first.starts_with(kHeaderPrefix)) return make_trace_reader(std::move(lines), site);
  if (is_gpiomon_event(first)) return make_gpiomon_reader(std::move(lines), site, std::move(options));
  lines.fail_at(1, "not a roadspeed trace or gpiomon log");
}

}  // namespace trace_detail

std::unique_ptr<EdgeReader> make_trace_reader(std::istream& in, std::string source_name,
                                              const Site& site) {
  return trace_detail::make_trace_reader(trace_detail::LineSource(in, std::move(source_name)), site);
}

std::unique_ptr<EdgeReader> make_edge_reader(std::istream& in, std::string source_name,
                                             const Site& site, GpiomonOptions options) {
  return trace_detail::make_edge_reader(trace_detail::LineSource(in, std::move(source_name)), site,
                                        std::move(options));
}

}  // namespace roadspeed

// The roadspeed trace reader (spec/interfaces.md §1), the chunked line source
// it shares with the gpiomon reader, and format detection.
//
// Replaying a long trace must cost about what `wc -l` costs, so the common
// row is parsed straight from the read buffer, eight bytes at a time, with
// no per-line allocation; any row that fast path does not take goes to a
// checked path that either accepts it (e.g. a time with leading zeros) or
// says exactly what is wrong. Both must agree: tests and the fuzzer compare
// them.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <exception>
#include <limits>
#include <utility>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed {
namespace trace_detail {

// --- LineSource --------------------------------------------------------------

LineSource::LineSource(std::istream& in, std::string source_name, std::size_t chunk_bytes)
    : in_(&in), name_(std::move(source_name)), chunk_(std::max<std::size_t>(chunk_bytes, 1)),
      read_size_(std::min(chunk_, kFirstReadBytes)),
      buf_(std::make_unique_for_overwrite<char[]>(read_size_)), capacity_(read_size_) {}

void LineSource::fail(std::string_view message) const { fail_at(line_, message); }

void LineSource::fail_at(std::uint64_t line, std::string_view message) const {
  throw InputError(name_ + ":" + std::to_string(line) + ": " + std::string(message));
}

// Moves the unread tail to the front (into a bigger buffer when needed) and
// appends the next read. Reads start small and double up to the chunk size
// while the stream keeps delivering, so a short input never costs a 1 MiB
// buffer. False when nothing more could be read. The buffer is never zeroed:
// only bytes read are looked at.
bool LineSource::refill() {
  if (eof_) return false;
  const std::size_t tail = end_ - pos_;
  if (tail + read_size_ > capacity_) {
    const std::size_t capacity = std::max(tail + read_size_, 2 * capacity_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(bigger.get(), buf_.get() + pos_, tail);
    buf_ = std::move(bigger);
    capacity_ = capacity;
  } else if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, tail);
  }
  pos_ = 0;
  end_ = tail;
  in_->read(buf_.get() + end_, static_cast<std::streamsize>(read_size_));
  const auto got = static_cast<std::size_t>(in_->gcount());
  end_ += got;
  if (got < read_size_) {
    eof_ = true;
    if (in_->bad()) fail_at(line_ + 1, "read error");
  }
  read_size_ = std::min(chunk_, read_size_ * 2);
  return got > 0;
}

static std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view LineSource::peek_first_line() {
  for (;;) {
    const char* start = buf_.get() + pos_;
    const std::size_t avail = end_ - pos_;
    if (const void* nl = std::memchr(start, '\n', avail)) {
      return strip_cr({start, static_cast<std::size_t>(static_cast<const char*>(nl) - start)});
    }
    if (avail > kMaxLineBytes || !refill()) return strip_cr({buf_.get() + pos_, end_ - pos_});
  }
}

std::optional<std::string_view> LineSource::next() {
  for (;;) {
    const char* start = buf_.get() + pos_;
    const std::size_t avail = end_ - pos_;
    if (const void* nl = std::memchr(start, '\n', avail)) {
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - start);
      if (len > kMaxLineBytes) fail_too_long();
      pos_ += len + 1;
      ++line_;
      return strip_cr({start, len});
    }
    if (avail > kMaxLineBytes) fail_too_long();
    if (!refill()) {
      if (pos_ == end_) return std::nullopt;
      // The last line, without a final newline.
      const std::string_view rest(buf_.get() + pos_, end_ - pos_);
      pos_ = end_;
      ++line_;
      return strip_cr(rest);
    }
  }
}

void LineSource::fail_too_long() const {
  fail_at(line_ + 1, "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
}

std::string printable(std::string_view text) {
  constexpr std::size_t kMax = 48;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (text.size() > kMax) out += "...";
  return out;
}

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

// --- Word-at-a-time helpers of the fast path ----------------------------------
// Little-endian only (x86-64, arm64); elsewhere the fast path is skipped.

constexpr bool kFastPath = std::endian::native == std::endian::little;
constexpr std::uint64_t kOnes = 0x0101010101010101;

std::uint64_t load8(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

std::uint64_t low_bytes_mask(std::size_t n) {
  return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
}

// Index of the first byte of `x` that is not an ASCII digit, 8 if none. A
// carry out of a byte >= 0xFA only disturbs bytes after it, and that byte is
// itself a non-digit, so the first one found is right.
std::size_t first_non_digit(std::uint64_t x) {
  const std::uint64_t m = ((x & (kOnes * 0xF0)) ^ (kOnes * 0x30)) |
                          (((x + kOnes * 0x06) & (kOnes * 0xF0)) ^ (kOnes * 0x30));
  return m == 0 ? 8 : static_cast<std::size_t>(std::countr_zero(m)) / 8;
}

// Index of the first `c` in `x`, 8 if none (bytes after a match may be false
// positives; the first is exact).
std::size_t first_byte(std::uint64_t x, unsigned char c) {
  const std::uint64_t y = x ^ (kOnes * c);
  const std::uint64_t m = (y - kOnes) & ~y & (kOnes * 0x80);
  return m == 0 ? 8 : static_cast<std::size_t>(std::countr_zero(m)) / 8;
}

// Eight ASCII digits, first digit in the lowest byte (as in fast_float).
std::uint64_t eight_digits(std::uint64_t x) {
  x -= kOnes * '0';
  x = x * 10 + (x >> 8);
  return (((x & 0x000000FF000000FF) * 0x000F424000000064) +
          (((x >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
}

// A digit run of at most 19 (cannot overflow uint64) at `p`: its length, 0
// when longer (left to the checked path).
std::size_t digit_run(const char* p) {
  for (std::size_t block = 0; block < 24; block += 8) {
    const std::size_t n = first_non_digit(load8(p + block));
    if (n < 8) return block + n <= 19 ? block + n : 0;
  }
  return 0;
}

bool all_digits(std::uint64_t x) { return first_non_digit(x) == 8; }

// Times since 2001 (until 2286) have exactly 19 digits: checked and
// converted as three overlapping words, without a loop.
bool nineteen_digits(const char* p, std::uint64_t& value) {
  if (p[19] != ',' || !all_digits(load8(p)) || !all_digits(load8(p + 8)) || !all_digits(load8(p + 11))) {
    return false;
  }
  const std::uint64_t lead = static_cast<std::uint64_t>(p[0] - '0') * 100 +
                             static_cast<std::uint64_t>(p[1] - '0') * 10 + static_cast<std::uint64_t>(p[2] - '0');
  value = (lead * 100'000'000 + eight_digits(load8(p + 3))) * 100'000'000 + eight_digits(load8(p + 11));
  return true;
}

std::uint64_t parse_digits(const char* p, std::size_t n) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  for (; i < n % 8; ++i) value = value * 10 + static_cast<unsigned>(p[i] - '0');
  for (; i < n; i += 8) value = value * 100'000'000 + eight_digits(load8(p + i));
  return value;
}

// Index of the first ',' in p[0..31], 32 if none.
std::size_t comma_within_32(const char* p) {
  for (std::size_t block = 0; block < 32; block += 8) {
    const std::size_t n = first_byte(load8(p + block), ',');
    if (n < 8) return block + n;
  }
  return 32;
}

// Resolves input names to ids. A site has a handful of inputs, so a scan
// comparing one 64-bit key per name (its first and last 8 bytes and its
// length) beats hashing; a matching key is confirmed in full beyond 8 bytes.
class NameTable {
 public:
  explicit NameTable(const Site& site) {
    const std::size_t n = std::min<std::size_t>(site.inputs.size(),
                                                std::numeric_limits<InputId>::max() + std::size_t{1});
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& name = site.inputs[i].name;
      // Such a name can never be a field of a row; keep the fast path from
      // matching one across a line break.
      if (name.find_first_of(",\n") != std::string::npos) continue;
      entries_.push_back({name, key_of(name), InputId(i)});
    }
  }

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
      while (n < out.size() && take(out[n])) ++n;
    } catch (...) {
      if (n == 0) throw;
      error_ = std::current_exception();  // after the edges before it
    }
    return n;
  }

 private:
  bool take(Edge& e) {
    if (const char* after = parse_fast(lines_.data(), lines_.data_end(), e)) {
      lines_.consume_line(after);
    } else if (!next_checked(e)) {
      return false;
    }
    if (e.t_ns < last_t_ns_) fail_backwards(e.t_ns);
    last_t_ns_ = e.t_ns;
    return true;
  }
  void read_header();
  const char* parse_fast(const char* p, const char* end, Edge& e) const;
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

// The common row, read straight from the buffer: at most 19 digits, a known
// name of at most 31 bytes, a 0/1 level, "\n" or "\r\n". Returns the byte
// after the row, or nullptr for anything else (including a row cut by the end
// of the buffer), which next_checked() then handles. Needing 64 bytes keeps
// every load inside the data: the longest row taken here is 55 bytes.
const char* TraceReader::parse_fast(const char* p, const char* end, Edge& e) const {
  if (!kFastPath || columns_ != 3 || end - p < 64) return nullptr;
  std::uint64_t t = 0;
  std::size_t digits = 19;
  if (!nineteen_digits(p, t)) {
    digits = digit_run(p);  // loads at most p[0..23]
    if (digits == 0 || p[digits] != ',') return nullptr;
    t = parse_digits(p, digits);
  }
  if (t > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return nullptr;
  const char* const name = p + digits + 1;  // at most p + 20
  const std::size_t name_size = comma_within_32(name);
  if (name_size == 32) return nullptr;
  const char* const level = name + name_size + 1;  // at most p + 52
  if (level[0] != '0' && level[0] != '1') return nullptr;
  const char* after = level[1] == '\n' ? level + 2 : nullptr;
  if (level[1] == '\r' && level[2] == '\n') after = level + 3;
  if (after == nullptr) return nullptr;
  const auto id = names_.find_in_buffer({name, name_size});
  if (!id) return nullptr;
  e = Edge{static_cast<std::int64_t>(t), *id, static_cast<std::uint8_t>(level[0] - '0')};
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

}  // namespace trace_detail

std::unique_ptr<EdgeReader> make_trace_reader(std::istream& in, std::string source_name,
                                              const Site& site) {
  return trace_detail::make_trace_reader(trace_detail::LineSource(in, std::move(source_name)), site);
}

std::unique_ptr<EdgeReader> make_edge_reader(std::istream& in, std::string source_name,
                                             const Site& site, GpiomonOptions options) {
  trace_detail::LineSource lines(in, std::move(source_name));
  const std::string_view first = lines.peek_first_line();
  if (first.starts_with(trace_detail::kHeaderPrefix)) {
    return trace_detail::make_trace_reader(std::move(lines), site);
  }
  if (trace_detail::is_gpiomon_event(first)) {
    return trace_detail::make_gpiomon_reader(std::move(lines), site, std::move(options));
  }
  lines.fail_at(1, "not a roadspeed trace or gpiomon log");
}

}  // namespace roadspeed

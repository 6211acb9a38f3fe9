#include "daemon/journal/pass_record.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

namespace roadspeed {
namespace {

// A radar block has 16 intervals: a vote beyond this is not one.
constexpr int max_vote = 64;

template <class T>
void append_number(std::string& out, T v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

template <class T>
std::optional<T> parse_number(std::string_view s) {
  T v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits off the text before `sep` (all of it when there is none).
std::string_view take(std::string_view& rest, char sep) {
  const std::size_t at = rest.find(sep);
  const std::string_view head = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view{} : rest.substr(at + 1);
  return head;
}

class RowParser {
 public:
  RowParser(const std::string& name, const Site& site) : name_(name), site_(site) {}

  [[noreturn]] void fail(std::size_t line, const std::string& message) const {
    throw InputError(name_ + ":" + std::to_string(line) + ": " + message);
  }

  RadarPass parse(std::string_view row, std::size_t line) {
    std::string_view rest = row;
    const std::string_view time = take(rest, ','), radar = take(rest, ','), first = take(rest, ',');
    const std::string_view blocks = rest;
    if (blocks.empty() || blocks.find(',') != std::string_view::npos)
      fail(line, "expected 4 fields: " + std::string(pass_journal_columns));
    RadarPass p;
    const auto t = parse_number<std::int64_t>(time);
    if (!t || *t < 0) fail(line, "bad time_ns '" + std::string(time) + "'");
    if (*t < last_time_ns_) fail(line, "time_ns goes backwards");
    last_time_ns_ = p.closed_ns = *t;
    p.detector = detector(radar, line);
    const auto first_ns = parse_number<std::int64_t>(first);
    if (!first_ns || *first_ns < 0) fail(line, "bad first_ns '" + std::string(first) + "'");
    std::int64_t at_ns = *first_ns;
    for (std::string_view list = blocks; !list.empty();) {
      const std::string_view block = take(list, ' ');
      p.segment.blocks.push_back(parse_block(block, at_ns, line));
      at_ns = p.segment.blocks.back().last_ns;
      p.segment.vote += p.segment.blocks.back().vote;
    }
    if (at_ns > p.closed_ns) fail(line, "the pass ends after time_ns, when it closed");
    return p;
  }

 private:
  std::uint16_t detector(std::string_view id, std::size_t line) const {
    for (std::size_t i = 0; i < site_.radars.size(); ++i)
      if (site_.radars[i].id == id) return static_cast<std::uint16_t>(site_.traps.size() + i);
    fail(line, "unknown radar '" + std::string(id) + "' (not in the site file)");
  }

  RadarBlock parse_block(std::string_view block, std::int64_t after_ns, std::size_t line) const {
    std::string_view rest = block;
    const auto gap = parse_number<std::int64_t>(take(rest, ':'));
    const auto span = parse_number<std::int64_t>(take(rest, ':'));
    const auto f = parse_number<double>(take(rest, ':'));
    const auto vote = parse_number<int>(rest);
    if (!gap || !span || !f || !vote || *gap < 0 || *span <= 0 || !std::isfinite(*f) || *f <= 0 ||
        std::abs(*vote) > max_vote)
      fail(line, "bad block '" + std::string(block) + "' (gap_ns:span_ns:f_hz:vote)");
    RadarBlock b;
    b.first_ns = after_ns + *gap;
    b.last_ns = b.first_ns + *span;
    b.f_hz = *f;
    b.vote = *vote;
    b.regular = true;  // only strong blocks reach a pass
    b.fill = 1.0;      // not recorded: nothing after the segmenter reads it
    return b;
  }

  const std::string& name_;
  const Site& site_;
  std::int64_t last_time_ns_ = 0;
};

}  // namespace

void append_pass_row(std::string& out, std::int64_t time_ns, std::string_view radar_id, const RadarSegment& s) {
  append_number(out, time_ns);
  out += ',';
  out += radar_id;
  out += ',';
  append_number(out, s.first_ns());
  out += ',';
  std::int64_t at_ns = s.first_ns();
  for (const RadarBlock& b : s.blocks) {
    if (&b != &s.blocks.front()) out += ' ';
    append_number(out, b.first_ns - at_ns);
    out += ':';
    append_number(out, b.last_ns - b.first_ns);
    out += ':';
    append_number(out, b.f_hz);
    out += ':';
    append_number(out, b.vote);
    at_ns = b.last_ns;
  }
  out += '\n';
}

void read_pass_rows(std::string_view text, const std::string& name, const Site& site,
                    const std::function<void(RadarPass&&)>& f) {
  RowParser parser(name, site);
  bool columns = false;
  std::size_t line = 0;
  for (std::string_view rest = text; !rest.empty();) {
    std::string_view row = take(rest, '\n');
    ++line;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (line == 1) {
      if (row != pass_journal_version_line)
        parser.fail(line, "not a radar pass journal: the first line must be '" +
                              std::string(pass_journal_version_line) + "'");
      continue;
    }
    if (row.starts_with('#')) continue;
    if (!columns) {
      if (row != pass_journal_columns) parser.fail(line, "expected the column line '" + std::string(pass_journal_columns) + "'");
      columns = true;
      continue;
    }
    f(parser.parse(row, line));
  }
  if (line == 0) parser.fail(1, "empty file: not a radar pass journal");
}

}  // namespace roadspeed

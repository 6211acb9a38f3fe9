// Reads logs captured with libgpiod's `gpiomon` in its default output format,
// so that a field recording made without roadspeed can be replayed.
//
// libgpiod 1.6 (tools/gpiomon.c, printf "event: %s offset: %u timestamp: [%8ld.%09ld]"):
//   event:  RISING EDGE offset: 17 timestamp: [      12.345678901]
//   event: FALLING EDGE offset: 17 timestamp: [      12.345678901]
// libgpiod 2.0 and 2.1 (tools/gpiomon.c event_print_human_readable and
// tools-common.c print_event_time/print_line_id): "%lu.%09lu", a tab, "rising"
// or "falling", a tab, then the line: "CHIP OFFSET" when the line has no name
// or --chip was given (then followed by ` "NAME"` for a named line), or only
// `"NAME"` when the line was given by name without --chip:
//   12.345678901<TAB>rising<TAB>gpiochip0 17
//   12.345678901<TAB>falling<TAB>gpiochip0 17 "LOOP_A"
// Both stamp CLOCK_MONOTONIC by default, and report the electrical edge.
#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <utility>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace roadspeed::trace_detail {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

struct GpiomonEvent {
  bool shaped = false;  // the line has the words of an event, even if a value is bad
  bool rising = false;
  std::string_view chip;  // empty: the line does not name it (1.6)
  unsigned offset = 0;
  std::int64_t monotonic_ns = 0;
};

// A line split at spaces and tabs, without allocating; `count` past the
// capacity means "more words than any event line has".
struct Words {
  static constexpr std::size_t kCapacity = 10;
  std::array<std::string_view, kCapacity> word{};
  std::size_t count = 0;
};

Words split_words(std::string_view line) {
  Words w;
  std::size_t i = 0;
  while (i < line.size() && w.count <= Words::kCapacity) {
    i = line.find_first_not_of(" \t", i);
    if (i == std::string_view::npos) break;
    const std::size_t j = std::min(line.find_first_of(" \t", i), line.size());
    if (w.count < Words::kCapacity) w.word[w.count] = line.substr(i, j - i);
    ++w.count;
    i = j;
  }
  return w;
}

bool parse_unsigned(std::string_view text, unsigned& value) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && ptr == text.data() + text.size() && !text.empty();
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "SECONDS.NANOSECONDS" in exact integer arithmetic: a double (53 bits)
// rounds nanoseconds once uptime passes about 100 days. Empty message: success.
std::string parse_timestamp(std::string_view text, std::int64_t& ns) {
  const std::size_t dot = text.find('.');
  const std::string_view sec = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (!all_digits(sec) || !all_digits(frac) || frac.size() > 9) {
    return "timestamp '" + printable(text) + "' is not SECONDS.NANOSECONDS";
  }
  std::int64_t s = 0;
  const auto [ptr, ec] = std::from_chars(sec.data(), sec.data() + sec.size(), s);
  if (ec != std::errc{} || s > std::numeric_limits<std::int64_t>::max() / kNsPerSecond - 1) {
    return "timestamp '" + printable(text) + "' is out of range";
  }
  std::int64_t f = 0;
  for (char c : frac) f = f * 10 + (c - '0');
  for (std::size_t i = frac.size(); i < 9; ++i) f *= 10;
  ns = s * kNsPerSecond + f;
  return {};
}

// As gpiomon prints it, so that the user can find it in the log.
std::string format_timestamp(std::int64_t ns) {
  std::string frac = std::to_string(ns % kNsPerSecond);
  return std::to_string(ns / kNsPerSecond) + "." + std::string(9 - frac.size(), '0') + frac;
}

// libgpiod 1.6: event: RISING EDGE offset: N timestamp: [ S.N]
std::string parse_v1(const Words& w, GpiomonEvent& e) {
  const auto& x = w.word;
  const bool shape = (w.count == 7 || w.count == 8) && x[0] == "event:" &&
                     (x[1] == "RISING" || x[1] == "FALLING") && x[2] == "EDGE" &&
                     x[3] == "offset:" && x[5] == "timestamp:";
  if (!shape) return "not a gpiomon event line";
  e.shaped = true;
  if (!parse_unsigned(x[4], e.offset)) return "offset '" + printable(x[4]) + "' is not a line number";
  // "[" stands alone when %8ld padded the seconds with spaces.
  std::string_view stamp = w.count == 8 ? x[7] : x[6];
  if ((w.count == 8 && x[6] != "[") || (w.count == 7 && !stamp.starts_with('[')) ||
      !stamp.ends_with(']')) {
    return "timestamp '" + printable(stamp) + "' is not in brackets";
  }
  if (w.count == 7) stamp.remove_prefix(1);
  stamp.remove_suffix(1);
  e.rising = x[1] == "RISING";
  return parse_timestamp(stamp, e.monotonic_ns);
}

// libgpiod 2.x: S.N rising CHIP OFFSET ["NAME"]
std::string parse_v2(const Words& w, GpiomonEvent& e) {
  const auto& x = w.word;
  if (w.count < 3 || (x[1] != "rising" && x[1] != "falling") || !all_digits(x[0].substr(0, 1))) {
    return "not a gpiomon event line";
  }
  e.shaped = true;
  if (x[2].starts_with('"')) {
    return "the line is named only as " + printable(x[2]) +
           ": record with `gpiomon --chip CHIP OFFSET...` so that lines map to the site";
  }
  if (w.count < 4 || !parse_unsigned(x[3], e.offset)) {
    return "expected CHIP OFFSET after '" + std::string(x[1]) + "', got '" +
           printable(w.count < 4 ? x[2] : x[3]) + "'";
  }
  e.rising = x[1] == "rising";
  e.chip = x[2];
  return parse_timestamp(x[0], e.monotonic_ns);
}

// Empty message: `e` holds the event.
std::string parse_event(std::string_view line, GpiomonEvent& e) {
  const Words w = split_words(line);
  if (w.count > 0 && w.word[0] == "event:") return parse_v1(w, e);
  return parse_v2(w, e);
}

// gpiomon 2.x prints "gpiochip0"; people write "/dev/gpiochip0" or "0" too.
std::string canonical_chip(std::string_view chip) {
  if (chip.starts_with("/dev/")) chip.remove_prefix(5);
  if (all_digits(chip)) return "gpiochip" + std::string(chip);
  return std::string(chip);
}

struct WiredInput {
  std::string chip;  // canonical
  unsigned line = 0;
  InputId id = 0;
  bool active_low = false;
};

class GpiomonReader final : public EdgeReader {
 public:
  GpiomonReader(LineSource lines, const Site& site, GpiomonOptions options)
      : lines_(std::move(lines)) {
    if (!options.first_event_epoch_ns) {
      lines_.fail_at(1, "gpiomon timestamps are on the monotonic clock: give the wall-clock "
                        "time of the first event");
    }
    first_epoch_ns_ = *options.first_event_epoch_ns;
    if (first_epoch_ns_ < 0) lines_.fail_at(1, "the wall-clock time of the first event is negative");
    wire(site);
    pick_default_chip(site, options.chip);
  }

  std::optional<Edge> next() override {
    for (;;) {
      const auto line = lines_.next();
      if (!line) return std::nullopt;
      if (line->find_first_not_of(" \t") == std::string_view::npos) continue;
      GpiomonEvent e;
      if (const std::string error = parse_event(*line, e); !error.empty()) lines_.fail(error);
      return to_edge(e);
    }
  }

 private:
  void wire(const Site& site);
  void pick_default_chip(const Site& site, const std::optional<std::string>& chip);
  const WiredInput& find(std::string_view chip, unsigned line) const;
  Edge to_edge(const GpiomonEvent& e);

  LineSource lines_;
  std::vector<WiredInput> wired_;
  std::optional<std::string> default_chip_;  // for lines that do not name one (1.6)
  std::string default_chip_problem_;         // why there is none
  std::int64_t first_epoch_ns_ = 0;
  std::optional<std::int64_t> first_monotonic_ns_;
  std::int64_t last_monotonic_ns_ = 0;
};

void GpiomonReader::wire(const Site& site) {
  const std::size_t n = std::min<std::size_t>(site.inputs.size(),
                                              std::numeric_limits<InputId>::max() + std::size_t{1});
  for (std::size_t i = 0; i < n; ++i) {
    const Input& in = site.inputs[i];
    wired_.push_back({canonical_chip(in.chip), in.line, InputId(i), in.active_low});
  }
}

// The chip for lines that do not name one: the option, else the site's only chip.
void GpiomonReader::pick_default_chip(const Site& site, const std::optional<std::string>& chip) {
  if (chip) {
    default_chip_ = canonical_chip(*chip);
    return;
  }
  std::set<std::string> chips;
  for (const auto& w : wired_) chips.insert(w.chip);
  if (chips.size() == 1) {
    default_chip_ = *chips.begin();
    return;
  }
  std::string list;
  for (const auto& c : chips) list += (list.empty() ? "" : ", ") + c;
  default_chip_problem_ = site.inputs.empty()
      ? "the site has no inputs"
      : "the log does not name the chip and the site's inputs are on several (" + list +
            "): give the chip";
}

const WiredInput& GpiomonReader::find(std::string_view chip, unsigned line) const {
  for (const auto& w : wired_) {
    if (w.line == line && w.chip == chip) return w;
  }
  lines_.fail("no input of the site is wired to " + printable(chip) + " line " + std::to_string(line));
}

Edge GpiomonReader::to_edge(const GpiomonEvent& e) {
  if (e.chip.empty() && !default_chip_) lines_.fail(default_chip_problem_);
  const WiredInput& w = e.chip.empty() ? find(*default_chip_, e.offset)
                                       : find(canonical_chip(e.chip), e.offset);
  if (!first_monotonic_ns_) first_monotonic_ns_ = last_monotonic_ns_ = e.monotonic_ns;
  if (e.monotonic_ns < last_monotonic_ns_) {
    lines_.fail("time goes backwards by " + std::to_string(last_monotonic_ns_ - e.monotonic_ns) +
                " ns (previous timestamp " + format_timestamp(last_monotonic_ns_) + ")");
  }
  last_monotonic_ns_ = e.monotonic_ns;
  std::int64_t t_ns = 0;
  if (__builtin_add_overflow(first_epoch_ns_, e.monotonic_ns - *first_monotonic_ns_, &t_ns)) {
    lines_.fail("time is out of range after mapping to the wall clock");
  }
  // gpiomon reports the electrical edge; the trace level is logical.
  const bool active = e.rising != w.active_low;
  return Edge{t_ns, w.id, static_cast<std::uint8_t>(active ? 1 : 0)};
}

}  // namespace

bool is_gpiomon_event(std::string_view line) {
  GpiomonEvent e;
  parse_event(line, e);
  return e.shaped;
}

std::unique_ptr<EdgeReader> make_gpiomon_reader(LineSource lines, const Site& site,
                                                GpiomonOptions options) {
  return std::make_unique<GpiomonReader>(std::move(lines), site, std::move(options));
}

}  // namespace roadspeed::trace_detail

namespace roadspeed {

std::unique_ptr<EdgeReader> make_gpiomon_reader(std::istream& in, std::string source_name,
                                                const Site& site, GpiomonOptions options) {
  return trace_detail::make_gpiomon_reader(trace_detail::LineSource(in, std::move(source_name)), site,
                                           std::move(options));
}

}  // namespace roadspeed

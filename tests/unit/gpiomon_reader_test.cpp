// Reading gpiomon logs (libgpiod 1.6 and 2.x default formats): chip/line
// mapping, active_low, exact nanosecond arithmetic, errors with line numbers.
#include <catch2/catch.hpp>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"

#include "trace_test_site.hpp"

using namespace roadspeed;

namespace {

constexpr std::int64_t kEpoch = 1764158400'123456789;


Site two_chip_site() {
  Site site = test::three_input_site();
  site.inputs.push_back({"radar_q", "/dev/gpiochip1", 5, false, Bias::as_is});
  return site;
}

GpiomonOptions at_epoch(std::int64_t epoch_ns = kEpoch) {
  GpiomonOptions options;
  options.first_event_epoch_ns = epoch_ns;
  return options;
}

std::vector<Edge> read_log(const std::string& text, const Site& site,
                           GpiomonOptions options = at_epoch()) {
  std::istringstream in(text);
  auto reader = make_gpiomon_reader(in, "g.log", site, std::move(options));
  std::vector<Edge> edges;
  while (auto e = reader->next()) edges.push_back(*e);
  return edges;
}

std::string log_error(const std::string& text, const Site& site, GpiomonOptions options = at_epoch()) {
  try {
    read_log(text, site, std::move(options));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a libgpiod 1.6 log maps offsets to inputs, applying active_low", "[trace]") {
  // Byte for byte what gpiomon 1.6 prints: "event: %s offset: %u timestamp: [%8ld.%09ld]".
  const std::string log =
      "event:  RISING EDGE offset: 17 timestamp: [      12.345678901]\n"
      "event: FALLING EDGE offset: 17 timestamp: [      12.350000000]\n"
      "event:  RISING EDGE offset: 5 timestamp: [      13.000000000]\n"
      "event: FALLING EDGE offset: 27 timestamp: [12345678.000000001]\n";
  const std::vector<Edge> expected = {{kEpoch, 0, 0},
                                      {kEpoch + 4321099, 0, 1},
                                      {kEpoch + 654321099, 2, 1},
                                      {kEpoch + 12345665654321100, 1, 1}};
  CHECK(read_log(log, test::three_input_site()) == expected);
}

TEST_CASE("a libgpiod 2.x log names the chip on every line", "[trace]") {
  // gpiomon 2.0/2.1: "%lu.%09lu", TAB, rising|falling, TAB, "CHIP OFFSET" and,
  // for a named line given with --chip, a space and the quoted name.
  const std::string log =
      "9000000000.000000001\trising\tgpiochip0 17\n"
      "9000000000.000000002\tfalling\tgpiochip0 17 \"LOOP A\"\n"
      "9000000000.000000002\trising\tgpiochip1 5\n"
      "9000000001.999999999\tfalling\tgpiochip0 5 \"RADAR\"\n";
  // A double holds about 16 digits: these differ in the 19th.
  const std::vector<Edge> expected = {
      {kEpoch, 0, 0}, {kEpoch + 1, 0, 1}, {kEpoch + 1, 3, 1}, {kEpoch + 1'999'999'998, 2, 0}};
  CHECK(read_log(log, two_chip_site()) == expected);
}

TEST_CASE("gpiomon logs may have blank lines and CRLF endings", "[trace]") {
  const std::string log = "\r\nevent:  RISING EDGE offset: 27 timestamp: [       1.000000000]\r\n  \r\n"
                          "2.5\tfalling\tgpiochip0 27\r\n";
  CHECK(read_log(log, test::three_input_site()) ==
        std::vector<Edge>{{kEpoch, 1, 0}, {kEpoch + 1'500'000'000, 1, 1}});
}

TEST_CASE("a 1.6 log takes its chip from the options or from a one-chip site", "[trace]") {
  const std::string log = "event:  RISING EDGE offset: 5 timestamp: [       1.000000000]\n";
  CHECK(read_log(log, test::three_input_site()) == std::vector<Edge>{{kEpoch, 2, 1}});
  CHECK(log_error(log, two_chip_site()) ==
        "g.log:1: the log does not name the chip and the site's inputs are on several "
        "(gpiochip0, gpiochip1): give the chip");
  for (const char* chip : {"gpiochip1", "/dev/gpiochip1", "1"}) {
    GpiomonOptions options = at_epoch();
    options.chip = chip;
    CHECK(read_log(log, two_chip_site(), options) == std::vector<Edge>{{kEpoch, 3, 1}});
  }
  CHECK(log_error(log, Site{}) == "g.log:1: the site has no inputs");
}

TEST_CASE("a line that no input is wired to is an error naming chip and line", "[trace]") {
  CHECK(log_error("event:  RISING EDGE offset: 17 timestamp: [       1.000000000]\n"
                  "event:  RISING EDGE offset: 4 timestamp: [       1.000000000]\n",
                  test::three_input_site()) == "g.log:2: no input of the site is wired to gpiochip0 line 4");
  CHECK(log_error("1.000000000\trising\tgpiochip3 17\n", two_chip_site()) ==
        "g.log:1: no input of the site is wired to gpiochip3 line 17");
}

TEST_CASE("a gpiomon log needs the wall-clock time of its first event", "[trace]") {
  std::istringstream in("1.000000000\trising\tgpiochip0 17\n");
  const Site site = test::three_input_site();
  CHECK_THROWS_WITH(make_gpiomon_reader(in, "g.log", site, GpiomonOptions{}),
                    "g.log:1: gpiomon timestamps are on the monotonic clock: give the wall-clock "
                    "time of the first event");
}

TEST_CASE("lines that are not gpiomon events are errors on their line", "[trace]") {
  const Site site = test::three_input_site();
  const std::string first = "1.000000000\trising\tgpiochip0 17\n";
  CHECK(log_error(first + "Monitoring line 'LOOP_A'...\n", site) == "g.log:2: not a gpiomon event line");
  CHECK(log_error(first + "1,loop_a,1\n", site) == "g.log:2: not a gpiomon event line");
  CHECK(log_error(first + "event:  RISING EDGE offset: 17\n", site) == "g.log:2: not a gpiomon event line");
  CHECK(log_error(first + "1.5\trising\n", site) == "g.log:2: not a gpiomon event line");
  CHECK(log_error(first + "1.5\trising\tgpiochip0\n", site) ==
        "g.log:2: expected CHIP OFFSET after 'rising', got 'gpiochip0'");
  CHECK(log_error(first + "1.5\trising\tgpiochip0 x17\n", site) ==
        "g.log:2: expected CHIP OFFSET after 'rising', got 'x17'");
  CHECK(log_error(first + "event:  RISING EDGE offset: -1 timestamp: [       1.000000000]\n", site) ==
        "g.log:2: offset '-1' is not a line number");
  CHECK(log_error(first + "event:  RISING EDGE offset: 17 timestamp:        1.000000000\n", site) ==
        "g.log:2: timestamp '1.000000000' is not in brackets");
}

TEST_CASE("a line named only by its name cannot be mapped and says how to record", "[trace]") {
  CHECK(log_error("1.000000000\trising\t\"LOOP_A\"\n", test::three_input_site()) ==
        "g.log:1: the line is named only as \"LOOP_A\": record with `gpiomon --chip CHIP OFFSET...` "
        "so that lines map to the site");
}

TEST_CASE("gpiomon timestamps must be exact seconds.nanoseconds in range", "[trace]") {
  const Site site = test::three_input_site();
  CHECK(log_error("event:  RISING EDGE offset: 17 timestamp: [      12.3456789012]\n", site) ==
        "g.log:1: timestamp '12.3456789012' is not SECONDS.NANOSECONDS");
  CHECK(log_error("1e3\trising\tgpiochip0 17\n", site) == "g.log:1: timestamp '1e3' is not SECONDS.NANOSECONDS");
  CHECK(log_error("99999999999.000000000\trising\tgpiochip0 17\n", site) ==
        "g.log:1: timestamp '99999999999.000000000' is out of range");
  CHECK(log_error("0.000000000\trising\tgpiochip0 17\n0.000000011\trising\tgpiochip0 17\n", site,
                  at_epoch(std::numeric_limits<std::int64_t>::max() - 10)) ==
        "g.log:2: time is out of range after mapping to the wall clock");
}

TEST_CASE("gpiomon time going backwards is an error saying by how much", "[trace]") {
  CHECK(log_error("event:  RISING EDGE offset: 17 timestamp: [      12.000001000]\n"
                  "event: FALLING EDGE offset: 17 timestamp: [      12.000000000]\n",
                  test::three_input_site()) ==
        "g.log:2: time goes backwards by 1000 ns (previous timestamp 12.000001000)");
}

TEST_CASE("gpiomon lines split across chunks read the same", "[trace]") {
  const Site site = two_chip_site();
  const std::string log = "event:  RISING EDGE offset: 17 timestamp: [      12.345678901]\r\n\n"
                          "100.000000002\tfalling\tgpiochip1 5 \"Q\"\n";
  for (std::size_t chunk : {1, 2, 5, 11}) {
    std::istringstream in(log);
    GpiomonOptions options = at_epoch();
    options.chip = "gpiochip0";
    auto reader = trace_detail::make_gpiomon_reader(trace_detail::LineSource(in, "g.log", chunk), site,
                                                    options);
    std::vector<Edge> edges;
    while (auto e = reader->next()) edges.push_back(*e);
    CHECK(edges == std::vector<Edge>{{kEpoch, 0, 0}, {kEpoch + 87654321101, 3, 0}});
  }
}

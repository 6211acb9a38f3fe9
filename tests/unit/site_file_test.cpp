// The site file loader: every field read, every rule enforced at the right
// FILE:LINE (spec/interfaces.md §2, docs/site-file.md).
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "daemon/site/site.hpp"

using namespace roadspeed;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kSites = ROADSPEED_TEST_DATA "/sites/";

// A valid site. Tests change one line in place (keeping the numbering) or
// append tables from line 46 on; the line numbers they assert refer to this.
const std::string kBase = R"([site]
id = "test-site"
name = "Test road"
timezone = "Europe/Stockholm"
speed_limit_kmh = 30

[[input]]
name = "loop_a"
chip = "gpiochip0"
line = 17
active_low = true

[[input]]
name = "loop_b"
chip = "gpiochip0"
line = 27
active_low = true

[[input]]
name = "radar_i"
chip = "gpiochip0"
line = 5

[[input]]
name = "radar_q"
chip = "gpiochip0"
line = 6

[[trap]]
id = "t1"
first = "loop_a"
second = "loop_b"
spacing_m = 3.0
loop_length_m = 1.5
forward = "northbound"
reverse = "southbound"

[[radar]]
id = "r1"
input = "radar_i"
input_q = "radar_q"
carrier_ghz = 24.125
angle_deg = 15
forward = "northbound"
reverse = "southbound"
)";

// The radar's last three lines, 43 to 45: the only reverse not followed by a table.
const std::string kRadarEnd =
    "angle_deg = 15\nforward = \"northbound\"\nreverse = \"southbound\"\n";

// kBase with the one occurrence of `from` replaced by `to`.
std::string with(std::string_view from, std::string_view to, std::string text = kBase) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

// The error parse_site() reports for `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    (void)parse_site(text, "site.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Asserts `text` fails on `line` with a message containing `part`, on one line.
void require_error(const std::string& text, int line, const std::string& part) {
  const std::string error = error_of(text);
  INFO("expected line " << line << ": " << part);
  INFO("got " << error);
  CHECK_THAT(error, StartsWith("site.toml:" + std::to_string(line) + ": "));
  CHECK_THAT(error, Contains(part));
  CHECK(error.find('\n') == std::string::npos);
}

}  // namespace

TEST_CASE("the base test site parses", "[site]") {
  CHECK(error_of(kBase).empty());
}

TEST_CASE("the spec's example site parses with every field right", "[site]") {
  const Site site = parse_site(R"(
[site]
id = "oster-villa-01"
name = "Example road 12, Malmö"
timezone = "Europe/Stockholm"
speed_limit_kmh = 30
bike_path_limit_kmh = 25

[[input]]
name = "loop_a"
chip = "gpiochip0"
line = 17
active_low = true
bias = "pull-up"

[[input]]
name = "loop_b"
chip = "gpiochip0"
line = 27
active_low = true

[[input]]
name = "radar_i"
chip = "gpiochip1"
line = 3
bias = "pull-down"

[[input]]
name = "radar_q"
chip = "gpiochip1"
line = 4
bias = "disabled"

[[trap]]
id = "t1"
first = "loop_a"
second = "loop_b"
spacing_m = 3.0
loop_length_m = 1.5
forward = "northbound"
reverse = "southbound"
kind = "road"

[[radar]]
id = "r1"
input = "radar_i"
input_q = "radar_q"
carrier_ghz = 24.125
angle_deg = 15
forward = "northbound"
reverse = "southbound"
forward_offset_m = 3.0
reverse_offset_m = 6.5
kind = "bike_path"

[classes]
two_wheeler_max_m = 2.4
car_max_m = 5.5
van_max_m = 7.0
truck_max_m = 12.0

[[threshold]]
name = "enforcement"
scale = 1.10
offset_kmh = 3.2
)",
                               "example.toml");
  CHECK(site.id == "oster-villa-01");
  CHECK(site.name == "Example road 12, Malmö");
  CHECK(site.timezone == "Europe/Stockholm");
  CHECK(site.speed_limit_kmh == 30);
  CHECK(site.bike_path_limit_kmh == 25);

  REQUIRE(site.inputs.size() == 4);
  CHECK(site.inputs[0].name == "loop_a");
  CHECK(site.inputs[0].chip == "gpiochip0");
  CHECK(site.inputs[0].line == 17);
  CHECK(site.inputs[0].active_low);
  CHECK(site.inputs[0].bias == Bias::pull_up);
  CHECK(site.inputs[1].bias == Bias::as_is);
  CHECK(site.inputs[2].chip == "gpiochip1");
  CHECK(site.inputs[2].line == 3);
  CHECK_FALSE(site.inputs[2].active_low);
  CHECK(site.inputs[2].bias == Bias::pull_down);
  CHECK(site.inputs[3].bias == Bias::disabled);

  REQUIRE(site.traps.size() == 1);
  const Trap& t = site.traps[0];
  CHECK(t.id == "t1");
  CHECK(t.first == 0);
  CHECK(t.second == 1);
  CHECK(t.spacing_m == 3.0);
  CHECK(t.loop_length_m == 1.5);
  CHECK(t.forward == "northbound");
  CHECK(t.reverse == "southbound");
  CHECK_FALSE(t.one_way());
  CHECK(t.kind == DetectorKind::road);

  REQUIRE(site.radars.size() == 1);
  const Radar& r = site.radars[0];
  CHECK(r.id == "r1");
  CHECK(r.input == 2);
  CHECK(r.input_q == InputId{3});
  CHECK(r.carrier_ghz == 24.125);
  CHECK(r.angle_deg == 15);
  CHECK(r.forward == "northbound");
  CHECK(r.reverse == "southbound");
  CHECK(r.forward_offset_m == 3.0);
  CHECK(r.reverse_offset_m == 6.5);
  CHECK(r.kind == DetectorKind::bike_path);

  CHECK(site.classes.two_wheeler_max_m == 2.4);
  CHECK(site.classes.car_max_m == 5.5);
  CHECK(site.classes.van_max_m == 7.0);
  CHECK(site.classes.truck_max_m == 12.0);

  REQUIRE(site.thresholds.size() == 1);
  CHECK(site.thresholds[0].name == "enforcement");
  CHECK(site.thresholds[0].scale == 1.10);
  CHECK(site.thresholds[0].offset_kmh == 3.2);
}

TEST_CASE("optional keys take their documented defaults", "[site]") {
  const std::string text = with("input_q = \"radar_q\"\n", "",
                                with("reverse = \"southbound\"\n\n[[radar]]", "\n[[radar]]",
                                     with(kRadarEnd, "angle_deg = 15\nforward = \"n\"\n")));
  const Site site = parse_site(text, "site.toml");
  CHECK(site.bike_path_limit_kmh == 30);
  CHECK_FALSE(site.inputs[2].active_low);
  CHECK(site.inputs[2].bias == Bias::as_is);
  CHECK(site.traps[0].reverse.empty());
  CHECK(site.traps[0].one_way());
  CHECK(site.traps[0].kind == DetectorKind::road);
  CHECK_FALSE(site.radars[0].input_q);
  CHECK(site.radars[0].reverse.empty());
  CHECK_FALSE(site.radars[0].forward_offset_m);
  CHECK_FALSE(site.radars[0].reverse_offset_m);
  CHECK(site.radars[0].kind == DetectorKind::road);
  CHECK(site.classes.two_wheeler_max_m == 2.5);
  CHECK(site.classes.car_max_m == 5.6);
  CHECK(site.classes.van_max_m == 7.5);
  CHECK(site.classes.truck_max_m == 12.5);
  CHECK(site.thresholds.empty());
}

TEST_CASE("a partial classes table and a bare threshold keep the other defaults", "[site]") {
  const Site site =
      parse_site(kBase + "[classes]\ntruck_max_m = 14\n[[threshold]]\nname = \"limit\"\n", "s");
  CHECK(site.classes.van_max_m == 7.5);
  CHECK(site.classes.truck_max_m == 14);
  REQUIRE(site.thresholds.size() == 1);
  CHECK(site.thresholds[0].scale == 1.0);
  CHECK(site.thresholds[0].offset_kmh == 0.0);
}

TEST_CASE("detectors are numbered traps first, then radars", "[site]") {
  // r0 comes first in the file, yet the trap is detector 0.
  const std::string r0 =
      "[[radar]]\nid = \"r0\"\ninput = \"radar_q\"\ncarrier_ghz = 24\nangle_deg = 0\n"
      "forward = \"n\"\n\n[[trap]]";
  const std::string r1_without_q =
      with("input_q = \"radar_q\"\n", "", with(kRadarEnd, "angle_deg = 15\nforward = \"n\"\n"));
  const Site site = parse_site(with("[[trap]]", r0, r1_without_q), "s");
  REQUIRE(site.detector_count() == 3);
  CHECK(site.detector_id(0) == "t1");
  CHECK(site.detector_id(1) == "r0");
  CHECK(site.detector_id(2) == "r1");
  CHECK_THROWS_AS(site.detector_id(3), std::out_of_range);
  // Their inputs by channel: a radar without Q has one.
  CHECK(site.detector_inputs(1) == std::vector<InputId>{3});
}

TEST_CASE("a detector's inputs come by channel: first and second loop, I and Q", "[site]") {
  const Site site = parse_site(kBase, "s");
  REQUIRE(site.detector_count() == 2);
  CHECK(site.detector_inputs(0) == std::vector<InputId>{0, 1});  // loop_a, loop_b
  CHECK(site.detector_inputs(1) == std::vector<InputId>{2, 3});  // radar_i, radar_q
  CHECK_THROWS_AS(site.detector_inputs(2), std::out_of_range);
}

TEST_CASE("find_input finds an input by name and by chip and line", "[site]") {
  const Site site = parse_site(kBase, "s");
  CHECK(site.find_input("loop_a") == InputId{0});
  CHECK(site.find_input("radar_q") == InputId{3});
  CHECK_FALSE(site.find_input("loop_c"));
  CHECK_FALSE(site.find_input(""));
  CHECK(site.find_input("gpiochip0", 27) == InputId{1});
  CHECK(site.find_input("gpiochip0", 5) == InputId{2});
  CHECK_FALSE(site.find_input("gpiochip1", 27));
  CHECK_FALSE(site.find_input("gpiochip0", 18));
}

TEST_CASE("the example site files load", "[site]") {
  const Site villa = load_site_file(kSites + "villa-street.toml");
  CHECK(villa.speed_limit_kmh == 30);
  REQUIRE(villa.traps.size() == 1);
  CHECK(villa.traps[0].reverse == "southbound");
  REQUIRE(villa.thresholds.size() == 1);
  CHECK(villa.thresholds[0].offset_kmh == 3.2);

  const Site arterial = load_site_file(kSites + "arterial.toml");
  REQUIRE(arterial.traps.size() == 2);
  CHECK(arterial.traps[0].one_way());
  CHECK(arterial.traps[1].forward == "eastbound");

  const Site bike = load_site_file(kSites + "bike-path.toml");
  CHECK(bike.traps.at(0).kind == DetectorKind::bike_path);
  CHECK(bike.speed_limit_kmh == 20);
  CHECK(bike.bike_path_limit_kmh == 30);

  const Site radar = load_site_file(kSites + "radar-street.toml");
  REQUIRE(radar.radars.size() == 1);
  CHECK(radar.radars[0].input_q == radar.find_input("radar_q"));
  CHECK(radar.detector_id(1) == "r1");
}

TEST_CASE("a missing site file is an error naming the file", "[site]") {
  try {
    (void)load_site_file(kSites + "no-such-site.toml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), StartsWith(kSites + "no-such-site.toml: cannot open site file: "));
  }
  try {
    (void)load_site_file(kSites);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Contains("cannot open site file: Is a directory"));
  }
}

TEST_CASE("a toml syntax error is reported at toml++'s line", "[site]") {
  require_error(with("spacing_m = 3.0", "spacing_m = "), 33, "expected");
  require_error(with("name = \"Test road\"", "name = \"Test road"), 3, "string");
  require_error(kBase + "[site]\n", 46, "site");
}

TEST_CASE("an unknown key is reported in every table with its line", "[site]") {
  require_error(with("spacing_m = 3.0", "spaceing_m = 3.0"), 33,
                "unknown key 'spaceing_m' in [[trap]]; did you mean 'spacing_m'?");
  require_error(with("speed_limit_kmh = 30", "speed_limit = 30"), 5,
                "unknown key 'speed_limit' in [site]");
  require_error(with("line = 27", "line = 27\npin = 4"), 17, "unknown key 'pin' in [[input]]");
  require_error(with("angle_deg = 15", "angel_deg = 15"), 43,
                "unknown key 'angel_deg' in [[radar]]");
  require_error(kBase + "[classes]\nbus_max_m = 3\n", 47,
                "unknown key 'bus_max_m' in [classes]; expected one of:");
  require_error(kBase + "[[threshold]]\nname = \"x\"\noffset = 1\n", 48,
                "unknown key 'offset' in [[threshold]]");
  require_error("debug = true\n" + kBase, 1, "unknown key 'debug' at top level");
  // A short stranger is not taken for a typo of a short key.
  require_error(with("id = \"test-site\"", "id = \"test-site\"\nx = 1"), 3,
                "unknown key 'x' in [site]; expected one of: id name timezone");
}

TEST_CASE("an unknown top-level table is reported at its header", "[site]") {
  require_error(kBase + "\n[[loop]]\nname = \"x\"\n", 47, "unknown table [[loop]]");
  require_error(kBase + "[sites]\n", 46, "unknown table [sites]");
}

TEST_CASE("a missing required key is reported at its table's header", "[site]") {
  require_error(with("id = \"test-site\"", "# no id"), 1, "missing required key 'id' in [site]");
  require_error(with("speed_limit_kmh = 30", "#"), 1, "missing required key 'speed_limit_kmh'");
  require_error(with("chip = \"gpiochip0\"\nline = 27", "line = 27"), 13,
                "missing required key 'chip' in [[input]]");
  require_error(with("spacing_m = 3.0", "#"), 29, "missing required key 'spacing_m' in [[trap]]");
  require_error(with("forward = \"northbound\"\nreverse = \"southbound\"\n\n", "\n\n\n"), 29,
                "missing required key 'forward' in [[trap]]");
  require_error(with("carrier_ghz = 24.125", "#"), 38,
                "missing required key 'carrier_ghz' in [[radar]]");
  require_error(kBase + "[[threshold]]\nscale = 1.1\n", 46,
                "missing required key 'name' in [[threshold]]");
  require_error("# no site\n[[input]]\nname = \"a\"\nchip = \"c\"\nline = 1\n", 1,
                "missing required table [site]");
}

TEST_CASE("a value of the wrong type is reported at its line", "[site]") {
  require_error(with("line = 17", "line = \"17\""), 10, "line must be an integer, got a string");
  require_error(with("line = 17", "line = 17.0"), 10, "line must be an integer, got a float");
  require_error(with("speed_limit_kmh = 30", "speed_limit_kmh = \"30\""), 5,
                "speed_limit_kmh must be a number, got a string");
  require_error(with("active_low = true\n\n[[input]]\nname = \"loop_b\"",
                     "active_low = 1\n\n[[input]]\nname = \"loop_b\""),
                11, "active_low must be a boolean, got an integer");
  require_error(with("first = \"loop_a\"", "first = [\"loop_a\"]"), 31,
                "first must be a string, got an array");
  require_error(with("[site]", "[[site]]"), 1,
                "site must be a table, written [site], got an array");
  require_error(with("[[trap]]", "[trap]"), 29,
                "trap must be an array of tables, written [[trap]], got a table");
  require_error("threshold = 1\n" + kBase, 1,
                "threshold must be an array of tables, written [[threshold]], got an integer");
  require_error("threshold = [1]\n" + kBase, 1,
                "each [[threshold]] must be a table, got an integer");
  require_error(with("spacing_m = 3.0", "spacing_m = nan"), 33,
                "spacing_m must be a finite number, got nan");
}

TEST_CASE("integers are accepted where a number is expected", "[site]") {
  const Site site = parse_site(with("spacing_m = 3.0", "spacing_m = 3"), "s");
  CHECK(site.traps[0].spacing_m == 3.0);
  // Beyond 2^53 an integer has no exact double: still read, still range-checked.
  require_error(with("speed_limit_kmh = 30", "speed_limit_kmh = -9223372036854775808"), 5,
                "speed_limit_kmh must be > 0, got -9223372036854775808");
}

TEST_CASE("a detector naming an unknown input is rejected", "[site]") {
  require_error(with("second = \"loop_b\"", "second = \"loop_c\""), 32,
                "second names unknown input 'loop_c'");
  require_error(with("input = \"radar_i\"", "input = \"radar\""), 40,
                "input names unknown input 'radar'");
  require_error(with("input_q = \"radar_q\"", "input_q = \"q\""), 41,
                "input_q names unknown input 'q'");
}

TEST_CASE("a trap whose first and second are the same input is rejected", "[site]") {
  require_error(with("second = \"loop_b\"", "second = \"loop_a\""), 32,
                "first and second must be different inputs, both are 'loop_a'");
  require_error(with("input_q = \"radar_q\"", "input_q = \"radar_i\""), 41,
                "input_q must differ from input, both are 'radar_i'");
}

TEST_CASE("trap geometry must be positive and the loops must not overlap", "[site]") {
  require_error(with("spacing_m = 3.0", "spacing_m = -3"), 33, "spacing_m must be > 0, got -3");
  require_error(with("spacing_m = 3.0", "spacing_m = 0"), 33, "spacing_m must be > 0, got 0");
  require_error(with("loop_length_m = 1.5", "loop_length_m = -1.5"), 34,
                "loop_length_m must be > 0, got -1.5");
  require_error(with("loop_length_m = 1.5", "loop_length_m = 0.0"), 34,
                "loop_length_m must be > 0, got 0");
  require_error(with("loop_length_m = 1.5", "loop_length_m = 3.5"), 34,
                "loop_length_m must be <= spacing_m (3) so that the loops do not overlap, got 3.5");
  CHECK(error_of(with("loop_length_m = 1.5", "loop_length_m = 3.0")).empty());
}

TEST_CASE("input names must be unique", "[site]") {
  require_error(with("name = \"radar_q\"", "name = \"loop_a\""), 25,
                "duplicate input name 'loop_a', first defined on line 8");
}

TEST_CASE("detector ids must be unique across traps and radars", "[site]") {
  require_error(with("id = \"r1\"", "id = \"t1\""), 39,
                "duplicate detector id 't1', first used on line 30");
  const std::string second_trap = "[[trap]]\nid = \"t1\"\nfirst = \"x\"\n";
  require_error(kBase + second_trap, 47, "duplicate detector id 't1'");
}

TEST_CASE("two inputs on the same chip and line are rejected", "[site]") {
  require_error(with("line = 27", "line = 17"), 16,
                "chip 'gpiochip0' line 17 is already used by input 'loop_a'");
  CHECK(
      error_of(with("chip = \"gpiochip0\"\nline = 6", "chip = \"gpiochip1\"\nline = 17")).empty());
}

TEST_CASE("an input used by two detectors is rejected", "[site]") {
  require_error(with("input = \"radar_i\"", "input = \"loop_b\""), 40,
                "input 'loop_b' is already used by [[trap]] 't1'");
  const std::string trap2 = "[[trap]]\nid = \"t2\"\nfirst = \"radar_q\"\nsecond = \"loop_a\"\n";
  require_error(kBase + trap2, 49, "input 'loop_a' is already used by [[trap]] 't1'");
}

TEST_CASE("direction names must be non-empty and distinct", "[site]") {
  require_error(with("reverse = \"southbound\"\n\n", "reverse = \"northbound\"\n\n"), 36,
                "reverse must differ from forward, both are 'northbound'");
  require_error(with(kRadarEnd, "angle_deg = 15\nforward = \"n\"\nreverse = \"n\"\n"), 45,
                "reverse must differ from forward");
  require_error(with("forward = \"northbound\"\nreverse = \"southbound\"\n\n",
                     "forward = \"\"\nreverse = \"southbound\"\n\n"),
                35, "forward must not be empty");
  require_error(with("reverse = \"southbound\"\n\n", "reverse = \"\"\n\n"), 36,
                "reverse must not be empty");
  require_error(with("reverse = \"southbound\"\n\n", "reverse = \"south,bound\"\n\n"), 36,
                "reverse must not contain commas");
}

TEST_CASE("radar angle, carrier and offsets are range-checked", "[site]") {
  require_error(with("angle_deg = 15", "angle_deg = 80"), 43,
                "angle_deg must be in [0, 80), got 80");
  require_error(with("angle_deg = 15", "angle_deg = -1"), 43,
                "angle_deg must be in [0, 80), got -1");
  CHECK(error_of(with("angle_deg = 15", "angle_deg = 0")).empty());
  CHECK(error_of(with("angle_deg = 15", "angle_deg = 79.9")).empty());
  require_error(with("carrier_ghz = 24.125", "carrier_ghz = 0"), 42,
                "carrier_ghz must be > 0, got 0");
  require_error(kBase + "forward_offset_m = -2\n", 46, "forward_offset_m must be >= 0, got -2");
  require_error(kBase + "reverse_offset_m = -0.5\n", 46, "reverse_offset_m must be >= 0, got -0.5");
  CHECK(error_of(kBase + "forward_offset_m = 0\nreverse_offset_m = 4\n").empty());
}

TEST_CASE("a radar without a quadrature channel has one direction", "[site]") {
  require_error(with("input_q = \"radar_q\"\n", "\n"), 45, "reverse needs input_q");
  const std::string one_way = with("input_q = \"radar_q\"\n", "\n",
                                   with(kRadarEnd, "angle_deg = 15\nforward = \"n\"\n#\n"));
  require_error(one_way + "reverse_offset_m = 2\n", 46,
                "reverse_offset_m needs a reverse direction");
}

TEST_CASE("the site id, name, limits and timezone are validated", "[site]") {
  require_error(with("id = \"test-site\"", "id = \"Test_Site\""), 2,
                "id must match [a-z0-9-]+, got 'Test_Site'");
  require_error(with("id = \"test-site\"", "id = \"\""), 2, "id must match [a-z0-9-]+, got ''");
  require_error(with("name = \"Test road\"", "name = \"\""), 3, "name must not be empty");
  require_error(with("speed_limit_kmh = 30", "speed_limit_kmh = 0"), 5,
                "speed_limit_kmh must be > 0, got 0");
  require_error(with("speed_limit_kmh = 30", "speed_limit_kmh = -30"), 5,
                "speed_limit_kmh must be > 0, got -30");
  require_error(with("speed_limit_kmh = 30", "speed_limit_kmh = 30\nbike_path_limit_kmh = 0"), 6,
                "bike_path_limit_kmh must be > 0, got 0");
  require_error(with("timezone = \"Europe/Stockholm\"", "timezone = \"CET\""), 4,
                "timezone must be 'UTC' or an Area/City name");
  require_error(with("timezone = \"Europe/Stockholm\"", "timezone = \"\""), 4, "timezone must be");
  require_error(with("timezone = \"Europe/Stockholm\"", "timezone = \"Europe/\""), 4,
                "timezone must be");
  require_error(with("timezone = \"Europe/Stockholm\"", "timezone = \"europe/stockholm\""), 4,
                "timezone must be");
  CHECK(error_of(with("timezone = \"Europe/Stockholm\"", "timezone = \"UTC\"")).empty());
  CHECK(error_of(with("timezone = \"Europe/Stockholm\"",
                      "timezone = \"America/Argentina/Buenos_Aires\""))
            .empty());
  CHECK(error_of(with("timezone = \"Europe/Stockholm\"", "timezone = \"America/Port-au-Prince\""))
            .empty());
}

TEST_CASE("bias and kind accept only their listed values", "[site]") {
  require_error(
      with("line = 5", "line = 5\nbias = \"pullup\""), 23,
      "bias must be one of \"pull-up\", \"pull-down\", \"disabled\" or \"as-is\", got 'pullup'");
  require_error(kBase + "kind = \"cycle\"\n", 46,
                "kind must be \"road\" or \"bike_path\", got 'cycle'");
  CHECK(parse_site(kBase + "kind = \"bike_path\"\n", "s").radars[0].kind ==
        DetectorKind::bike_path);
}

TEST_CASE("a gpio line must be a small non-negative integer", "[site]") {
  require_error(with("line = 17", "line = -1"), 10, "line must be in [0, 65535], got -1");
  require_error(with("line = 17", "line = 65536"), 10, "line must be in [0, 65535], got 65536");
  CHECK(error_of(with("line = 17", "line = 65535")).empty());
}

TEST_CASE("length classes must be positive and strictly increasing", "[site]") {
  require_error(kBase + "[classes]\ncar_max_m = 2.5\n", 47,
                "car_max_m must be greater than two_wheeler_max_m (2.5), got 2.5");
  require_error(kBase + "[classes]\ncar_max_m = 8\n", 47,
                "car_max_m must be less than van_max_m (7.5, the default), got 8");
  require_error(kBase + "[classes]\ntwo_wheeler_max_m = 0\n", 47,
                "two_wheeler_max_m must be > 0, got 0");
  require_error(kBase + "[classes]\nvan_max_m = 9\ntruck_max_m = 8\n", 48,
                "truck_max_m must be greater than van_max_m (9), got 8");
}

TEST_CASE("threshold names must be unique and scales positive", "[site]") {
  const std::string first = "[[threshold]]\nname = \"enforcement\"\nscale = 1.1\n";
  require_error(kBase + first + first, 50,
                "duplicate threshold name 'enforcement', first defined on line 47");
  require_error(kBase + "[[threshold]]\nname = \"x\"\nscale = 0\n", 48, "scale must be > 0, got 0");
}

TEST_CASE("user text in an error is escaped so the message stays on one line", "[site]") {
  require_error(with("id = \"test-site\"", "id = \"a\\nb\""), 2, "got 'a\\x0ab'");
}

TEST_CASE("at most 65535 inputs are allowed", "[site]") {
  std::string many = "[site]\nid = \"x\"\nname = \"x\"\ntimezone = \"UTC\"\nspeed_limit_kmh = 1\n";
  for (int i = 0; i < 65536; ++i) many += "[[input]]\n";
  require_error(many, 5 + 65536, "too many inputs: at most 65535");
}

TEST_CASE("65535 inputs are allowed and the last one is found", "[site]") {
  std::string many = "[site]\nid = \"x\"\nname = \"x\"\ntimezone = \"UTC\"\nspeed_limit_kmh = 1\n";
  for (int i = 0; i < 65535; ++i) {
    many += "[[input]]\nname = \"i" + std::to_string(i) +
            "\"\nchip = \"c\"\nline = " + std::to_string(i) + "\n";
  }
  const Site site = parse_site(many, "s");
  CHECK(site.inputs.size() == 65535);
  CHECK(site.find_input("i65534") == InputId{65534});
}

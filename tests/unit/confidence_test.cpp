#include <catch2/catch.hpp>

#include "daemon/stats/confidence.hpp"

namespace roadspeed::stats {
namespace {

TEST_CASE("the 97.5 % quantile of Student's t matches the published table", "[stats]") {
  // Abramowitz & Stegun table 26.10 / any statistics textbook.
  CHECK(t975(1) == Approx(12.7062).epsilon(1e-5));
  CHECK(t975(2) == Approx(4.3027).epsilon(1e-4));
  CHECK(t975(10) == Approx(2.2281).epsilon(1e-4));
  CHECK(t975(30) == Approx(2.0423).epsilon(1e-4));
  CHECK(t975(100) == Approx(1.9840).epsilon(1e-4));
  CHECK(t975(1e7) == Approx(1.95996).epsilon(1e-5));
  CHECK_THROWS_AS(t975(0), std::invalid_argument);
}

TEST_CASE("the mean's interval is mean plus or minus t times the standard error", "[stats]") {
  // 1, 2, 3, 4, 5: mean 3, s = 1.5811, t(4) = 2.7764 -> 3 ± 1.9632.
  const auto i = mean_interval(5, 15, 55);
  REQUIRE(i);
  CHECK(i->estimate == Approx(3));
  CHECK(i->low == Approx(1.0368).epsilon(1e-4));
  CHECK(i->high == Approx(4.9632).epsilon(1e-4));
  CHECK_FALSE(mean_interval(1, 3, 9));
}

TEST_CASE("the Wilson interval matches known values and stays inside 0 to 1", "[stats]") {
  const auto eight_of_ten = wilson_interval(8, 10);
  REQUIRE(eight_of_ten);
  CHECK(eight_of_ten->estimate == Approx(0.8));
  CHECK(eight_of_ten->low == Approx(0.4902).epsilon(1e-3));
  CHECK(eight_of_ten->high == Approx(0.9433).epsilon(1e-3));
  const auto none_of_twenty = wilson_interval(0, 20);
  REQUIRE(none_of_twenty);
  CHECK(none_of_twenty->low == 0);
  CHECK(none_of_twenty->high == Approx(0.1611).epsilon(1e-3));
  const auto all = wilson_interval(20, 20);
  CHECK(all->high == 1);
  CHECK(all->low == Approx(0.8389).epsilon(1e-3));
  CHECK_FALSE(wilson_interval(0, 0));
}

}  // namespace
}  // namespace roadspeed::stats

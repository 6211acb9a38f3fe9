// Test helper: the site the trace, gpiomon and writer tests read against:
// two loops (active low) and a radar input, all on gpiochip0.
#pragma once

#include "daemon/site/site.hpp"

namespace roadspeed::test {

inline Site three_input_site() {
  Site site;
  site.id = "test-site";
  site.inputs = {{"loop_a", "gpiochip0", 17, true, Bias::as_is},
                 {"loop_b", "gpiochip0", 27, true, Bias::as_is},
                 {"radar_i", "gpiochip0", 5, false, Bias::as_is}};
  return site;
}

}  // namespace roadspeed::test

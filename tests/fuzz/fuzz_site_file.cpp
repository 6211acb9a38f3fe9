// Feeds arbitrary bytes to the site file parser. An InputError is the right
// answer to a bad file; any other exception (a toml++ parse_error that
// escaped, say), a crash or a sanitizer report is a bug.
#include <cstdint>
#include <string_view>

#include "daemon/site/site.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    roadspeed::parse_site(text, "fuzz.toml");
  } catch (const roadspeed::InputError&) {
  }
  return 0;
}

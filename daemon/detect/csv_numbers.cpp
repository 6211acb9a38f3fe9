#include "daemon/detect/csv_numbers.hpp"

#include <charconv>

namespace roadspeed::csv {

char* put_integer(char* p, std::int64_t v) { return std::to_chars(p, p + max_time_bytes, v).ptr; }

char* put_fixed2_exact(char* p, double x) {
  return std::to_chars(p, p + max_fixed2_bytes, x, std::chars_format::fixed, 2).ptr;
}

}  // namespace roadspeed::csv

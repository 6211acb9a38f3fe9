// Feeds arbitrary bytes to the trace and gpiomon readers. An InputError is
// the right answer to bad input; any other exception, a crash, a sanitizer
// report, or a disagreement below is a bug.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "drivers/trace/line_source.hpp"
#include "drivers/trace/trace_reader.hpp"
#include "drivers/trace/trace_writer.hpp"

using namespace roadspeed;

namespace {

const Site& fuzz_site() {
  static const Site site = [] {
    Site s;
    s.id = "fuzz";
    s.inputs = {{"loop_a", "gpiochip0", 17, true, Bias::as_is},
                {"loop_b", "gpiochip0", 27, true, Bias::as_is},
                {"radar_i", "gpiochip1", 5, false, Bias::as_is},
                {"a_rather_long_input_name", "gpiochip1", 6, false, Bias::as_is}};
    return s;
  }();
  return site;
}

GpiomonOptions gpiomon_options() {
  GpiomonOptions options;
  options.first_event_epoch_ns = 1764158400'000000000;
  options.chip = "gpiochip0";
  return options;
}

struct Outcome {
  std::vector<Edge> edges;
  std::string error;  // empty: read to the end
  bool operator==(const Outcome&) const = default;
};

template <class MakeReader>
Outcome read_with(const std::string& text, MakeReader make) {
  Outcome out;
  std::istringstream in(text);
  try {
    auto reader = make(in);
    while (auto e = reader->next()) out.edges.push_back(*e);
  } catch (const InputError& e) {
    out.error = e.what();
  }
  return out;
}

Outcome read_trace(const std::string& text, std::size_t chunk) {
  return read_with(text, [&](std::istream& in) {
    return trace_detail::make_trace_reader(trace_detail::LineSource(in, "fuzz.csv", chunk), fuzz_site());
  });
}

// The same trace taken in blocks (EdgeReader::read), as analyze takes it:
// rows then go through the reader's loop of fast rows, not one by one.
Outcome read_trace_in_blocks(const std::string& text, std::size_t block) {
  Outcome out;
  std::istringstream in(text);
  try {
    auto reader = trace_detail::make_trace_reader(trace_detail::LineSource(in, "fuzz.csv"), fuzz_site());
    std::vector<Edge> buf(block);
    while (const std::size_t n = reader->read(buf)) out.edges.insert(out.edges.end(), buf.begin(), buf.begin() + n);
  } catch (const InputError& e) {
    out.error = e.what();
  }
  return out;
}

// What the reader accepted, the writer must write and the reader read back.
void check_round_trip(const std::vector<Edge>& edges) {
  std::ostringstream out;
  {
    TraceWriter writer(out, fuzz_site(), {"fuzz"});
    for (const auto& e : edges) writer.write(e);
  }
  if (read_trace(out.str(), trace_detail::kDefaultChunkBytes) != Outcome{edges, ""}) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Chunks of 1 byte keep every row on the checked path; the default chunk
  // lets most rows take the fast path. Both must see the same trace.
  const Outcome fast = read_trace(text, trace_detail::kDefaultChunkBytes);
  if (read_trace(text, 1) != fast) std::abort();
  if (read_trace_in_blocks(text, 5) != fast) std::abort();
  if (fast.error.empty()) check_round_trip(fast.edges);

  const Outcome gpiomon = read_with(text, [](std::istream& in) {
    return make_gpiomon_reader(in, "fuzz.log", fuzz_site(), gpiomon_options());
  });
  const Outcome gpiomon_small_chunks = read_with(text, [](std::istream& in) {
    return trace_detail::make_gpiomon_reader(trace_detail::LineSource(in, "fuzz.log", 3), fuzz_site(),
                                             gpiomon_options());
  });
  if (gpiomon != gpiomon_small_chunks) std::abort();

  read_with(text, [](std::istream& in) { return make_edge_reader(in, "fuzz", fuzz_site(), gpiomon_options()); });
  return 0;
}

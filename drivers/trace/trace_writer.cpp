// Writes a roadspeed trace. A simulated day is millions of rows, so rows are
// formatted with to_chars into a buffer that goes to the stream in big
// blocks, never through iostream formatting.
#include "drivers/trace/trace_writer.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace roadspeed {

TraceWriter::TraceWriter(std::ostream& out, const Site& site,
                         const std::vector<std::string>& header_comments)
    : out_(out), site_(site), buf_(std::make_unique_for_overwrite<char[]>(kBufferBytes)) {
  for (const auto& comment : header_comments) {
    if (comment.find_first_of("\r\n") != std::string::npos) {
      throw std::invalid_argument("trace comment contains a line break: " + comment);
    }
  }
  append("# roadspeed-trace 1\n");
  for (const auto& comment : header_comments) {
    append("# ");
    append(comment);
    append("\n");
  }
  append("time_ns,input,level\n");
}

TraceWriter::~TraceWriter() {
  try {
    flush();
  } catch (...) {
    // A stream with exceptions enabled; its state already tells the owner.
  }
}

void TraceWriter::flush() {
  out_.write(buf_.get(), static_cast<std::streamsize>(used_));
  used_ = 0;
  out_.flush();
}

void TraceWriter::append(std::string_view text) {
  if (kBufferBytes - used_ < text.size()) {
    out_.write(buf_.get(), static_cast<std::streamsize>(used_));
    used_ = 0;
    if (text.size() > kBufferBytes) {
      out_.write(text.data(), static_cast<std::streamsize>(text.size()));
      return;
    }
  }
  std::memcpy(buf_.get() + used_, text.data(), text.size());
  used_ += text.size();
}

void TraceWriter::comment(std::string_view text) {
  if (text.find_first_of("\r\n") != std::string_view::npos)
    throw std::invalid_argument("trace comment contains a line break: " + std::string(text));
  append("# ");
  append(text);
  append("\n");
}

void TraceWriter::write(const Edge& e) {
  if (e.input >= site_.inputs.size()) {
    throw std::invalid_argument("trace edge names input " + std::to_string(e.input) + " of " +
                                std::to_string(site_.inputs.size()));
  }
  if (e.level > 1) throw std::invalid_argument("trace edge level " + std::to_string(e.level));
  if (e.t_ns < 0) throw std::invalid_argument("trace edge at negative time " + std::to_string(e.t_ns));
  if (e.t_ns < last_t_ns_) {
    throw std::invalid_argument("trace edge at " + std::to_string(e.t_ns) + " ns goes back from " +
                                std::to_string(last_t_ns_) + " ns");
  }
  last_t_ns_ = e.t_ns;
  char time[24];
  const char* end = std::to_chars(time, time + sizeof time, e.t_ns).ptr;
  append({time, static_cast<std::size_t>(end - time)});
  append(",");
  append(site_.inputs[e.input].name);
  append(e.level != 0 ? ",1\n" : ",0\n");
}

}  // namespace roadspeed

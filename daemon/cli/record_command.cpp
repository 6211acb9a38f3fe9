// roadspeed record: a site's GPIO lines -> an edge trace, for recording a
// field trace with a technician's laptop or board (and for the VM test).
// The file is written as it goes and flushed every second, so a power cut
// leaves the edges up to then; SIGINT or SIGTERM end it with the file whole.
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "daemon/cli/commands.hpp"
#include "daemon/site/site.hpp"
#include "drivers/gpio/mono_clock.hpp"
#include "drivers/gpio/gpio_edge_source.hpp"
#include "drivers/trace/trace_writer.hpp"

namespace roadspeed::cli {
namespace {

struct RecordOptions {
  std::string site;
  std::string out;
  std::optional<double> seconds;
  std::optional<std::uint64_t> count;
  std::string backend{kDefaultGpioBackend};
};

// At most this much recording is lost to a power cut.
constexpr std::chrono::seconds kFlushInterval{1};

class Recorder {
 public:
  Recorder(const RecordOptions& o, const Site& site, std::int64_t mono_to_wall_ns)
      : o_(o), site_(site), signals_(io_, SIGINT, SIGTERM), flush_timer_(io_), end_timer_(io_),
        source_(io_, site, mono_to_wall_ns, handlers(), o.backend) {}

  int run(std::int64_t mono_to_wall_ns) {
    source_.open();  // start-up errors before the file exists
    file_.open(o_.out, std::ios::binary | std::ios::trunc);
    if (!file_) throw std::runtime_error("cannot create " + o_.out + ": " + std::strerror(errno));
    writer_.emplace(file_, site_, header(mono_to_wall_ns));
    writer_->flush();
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) finish();
    });
    if (o_.seconds) {
      end_timer_.expires_after(std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::duration<double>(*o_.seconds)));
      end_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) finish();
      });
    }
    arm_flush();
    source_.start();
    std::cerr << "roadspeed record: recording " << site_.inputs.size() << " inputs to " << o_.out << '\n';
    io_.run();
    return summarise();
  }

 private:
  GpioSourceHandlers handlers() {
    GpioSourceHandlers h;
    h.on_edge = [this](const Edge& e) { write(e); };
    h.on_chip = [](const ChipHealth& c) { std::cerr << "roadspeed record: " << c.message << '\n'; };
    h.on_lost_edge = [this](const Edge& e) {
      std::cerr << "roadspeed record: lost edge on " << site_.inputs[e.input].name << " before " << e.t_ns << '\n';
    };
    h.on_error = [](const std::string& m) { std::cerr << "roadspeed record: " << m << '\n'; };
    return h;
  }

  std::vector<std::string> header(std::int64_t mono_to_wall_ns) const {
    return {"recorded by roadspeed record from GPIO (" + o_.backend + ")", "site: " + site_.id,
            "kernel monotonic timestamps + " + std::to_string(mono_to_wall_ns) + " ns"};
  }

  void write(const Edge& e) {
    if (o_.count && written_ >= *o_.count) return;
    writer_->write(e);
    if (++written_ == o_.count) boost::asio::post(io_, [this] { finish(); });
  }

  void arm_flush() {
    flush_timer_.expires_after(kFlushInterval);
    flush_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || finished_) return;
      writer_->flush();
      if (!file_) {
        write_failed_ = true;
        finish();
        return;
      }
      arm_flush();
    });
  }

  // Idempotent: a signal, the time limit and the count may all arrive.
  void finish() {
    if (finished_) return;
    finished_ = true;
    source_.stop();  // hands over what the reorder window still holds
    writer_->flush();
    if (!file_) write_failed_ = true;
    file_.close();
    signals_.cancel();
    flush_timer_.cancel();
    end_timer_.cancel();
  }

  int summarise() const {
    std::cerr << "roadspeed record: " << written_ << " edges written to " << o_.out << "; lost-edge evidence:";
    for (std::size_t i = 0; i < site_.inputs.size(); ++i)
      std::cerr << ' ' << site_.inputs[i].name << '=' << source_.lost_edges(static_cast<InputId>(i));
    std::cerr << "; late edges: " << source_.late_edges() << '\n';
    if (write_failed_) std::cerr << "roadspeed record: cannot write " << o_.out << ": " << std::strerror(errno) << '\n';
    return write_failed_ ? 1 : 0;
  }

  const RecordOptions& o_;
  const Site& site_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer end_timer_;
  GpioEdgeSource source_;
  std::ofstream file_;
  std::optional<TraceWriter> writer_;
  std::uint64_t written_ = 0;
  bool finished_ = false;
  bool write_failed_ = false;
};

int record_command(const RecordOptions& o) {
  const Site site = load_site_file(o.site);
  if (site.inputs.empty()) throw InputError(o.site + ": the site has no [[input]] to record");
  if (o.seconds && !(*o.seconds > 0 && *o.seconds < 1e9))
    throw std::invalid_argument("--seconds must be above 0");
  if (o.count && *o.count == 0) throw std::invalid_argument("--count must be at least 1");
  const std::int64_t mono_to_wall_ns = mono_to_wall_offset_ns();
  Recorder recorder(o, site, mono_to_wall_ns);
  return recorder.run(mono_to_wall_ns);
}

}  // namespace

Action add_record_command(CLI::App& app) {
  auto o = std::make_shared<RecordOptions>();
  CLI::App* cmd = app.add_subcommand("record", "Record a site's GPIO inputs to an edge trace (until SIGINT/SIGTERM)");
  cmd->add_option("--site", o->site, "Site file (TOML): its [[input]] lines are recorded")->required();
  cmd->add_option("--out", o->out, "Trace file to write (flushed every second)")->required();
  cmd->add_option("--seconds", o->seconds, "Stop after this many seconds");
  cmd->add_option("--count", o->count, "Stop after this many edges");
  cmd->add_option("--backend", o->backend, "GPIO back-end (default libgpiod1)");
  return [o] { return record_command(*o); };
}

}  // namespace roadspeed::cli

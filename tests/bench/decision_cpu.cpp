// roadspeed-decision-cpu: how long single detection calls take when a trace
// is driven through VehicleDetector as roadspeedd drives it (live mode,
// advance_to() exactly at every next_wakeup_ns() before an edge, radar passes
// kept and taken as the journal takes them, measured in pieces). Each call runs on the daemon's
// one event-loop thread, so its length is how long that loop is away from
// the GPIO lines (docs/benchmarks.md, "Backlog").
//
//   roadspeed-decision-cpu --site SITE --trace TRACE [--runs R] [--top N] [--seconds S] [--whole]
//
// --seconds S: only the edges of the trace's first S seconds.
// --whole: each radar pass measured whole when it closes, as before the
// daemon measured them in pieces (VehicleDetector::measure_radar_passes_in_pieces).
// Times every call with the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID:
// time other processes take the core from it is not counted) and keeps, per
// call, the least over R runs of the whole trace (detection is deterministic:
// run k makes the same calls as run 1), which strips most of what a shared
// machine adds. Prints the distribution (p50, p99, p99.9, max, calls over
// 0.5 and 1 ms) and the N longest calls: what they were (edge or wake), when,
// the vehicles they released and the radar passes they closed.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/site/site.hpp"
#include "drivers/trace/trace_reader.hpp"

namespace {

using namespace roadspeed;

std::int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// One detection call of the daemon's schedule.
struct Call {
  std::int64_t t_ns = 0;  // the edge's time, or the time told (a wake)
  int input = -1;         // the edge's input; -1: advance_to
};

// What one call did (kept from the first run only).
struct Work {
  std::size_t vehicles = 0;
  std::size_t passes = 0;
  std::size_t pass_blocks = 0;  // blocks of the passes closed, summed
  std::size_t largest_pass = 0; // blocks of the longest of them
  int detector = -1;            // a radar whose pass closed, else a released vehicle's
};

struct Options {
  std::string site;
  std::string trace;
  int runs = 5;
  int top = 10;
  bool whole = false;
  double seconds = 0;  // 0: the whole trace
};

// One run over `edges`: per call, its CPU ns (and, when `work`, what it did).
void run(const Site& site, const std::vector<Edge>& edges, bool pieces, std::vector<std::int64_t>& cpu_ns,
         std::vector<Call>* calls, std::vector<Work>* work) {
  VehicleDetector detector(site, VehicleDetector::Mode::live);
  detector.keep_radar_passes();
  if (pieces) detector.measure_radar_passes_in_pieces();
  std::vector<Vehicle> out;
  std::vector<RadarPass> passes;
  std::size_t k = 0;
  auto timed = [&](auto&& call, Call what) {
    out.clear();
    passes.clear();
    const std::int64_t t0 = thread_cpu_ns();
    call();
    detector.take_radar_passes(passes);  // the daemon journals them after every call
    const std::int64_t ns = thread_cpu_ns() - t0;
    if (calls) {
      calls->push_back(what);
      cpu_ns.push_back(ns);
      Work w{out.size(), passes.size(), 0, 0, out.empty() ? -1 : int(out.front().detector)};
      for (const RadarPass& p : passes) {
        w.pass_blocks += p.segment.blocks.size();
        if (p.segment.blocks.size() > w.largest_pass) {
          w.largest_pass = p.segment.blocks.size();
          w.detector = p.detector;
        }
      }
      work->push_back(w);
    } else {
      if (k >= cpu_ns.size()) throw std::runtime_error("runs made different calls");
      cpu_ns[k] = std::min(cpu_ns[k], ns);
    }
    ++k;
  };
  for (const Edge& e : edges) {
    for (std::int64_t wake = detector.next_wakeup_ns(), told = std::numeric_limits<std::int64_t>::min();
         wake < e.t_ns && wake > told; wake = detector.next_wakeup_ns()) {
      told = wake;
      timed([&] { detector.advance_to(wake, out); }, Call{wake, -1});
    }
    timed([&] { detector.push(e, out); }, Call{e.t_ns, int(e.input)});
  }
  if (!calls && k != cpu_ns.size()) throw std::runtime_error("runs made different calls");
}

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

int main_(int argc, char** argv) {
  Options o;
  CLI::App app{"CPU time of single detection calls, driven as roadspeedd drives detection"};
  app.add_option("--site", o.site, "Site file (TOML)")->required();
  app.add_option("--trace", o.trace, "Edge trace (.trace.csv)")->required();
  app.add_option("--runs", o.runs, "Runs of the whole trace; each call's least CPU time is kept")
      ->check(CLI::Range(1, 100));
  app.add_option("--top", o.top, "How many of the longest calls to list")->check(CLI::Range(0, 1000));
  app.add_option("--seconds", o.seconds, "Only the edges of the trace's first S seconds")->check(CLI::NonNegativeNumber);
  app.add_flag("--whole", o.whole, "Measure each radar pass whole when it closes, not in pieces");
  CLI11_PARSE(app, argc, argv);

  const Site site = load_site_file(o.site);
  std::ifstream in(o.trace, std::ios::binary);
  if (!in) throw std::runtime_error(o.trace + ": cannot open");
  std::vector<Edge> edges;
  {
    const auto reader = make_edge_reader(in, o.trace, site);
    while (const auto e = reader->next()) {
      if (o.seconds > 0 && !edges.empty() && static_cast<double>(e->t_ns - edges.front().t_ns) >= o.seconds * 1e9) break;
      edges.push_back(*e);
    }
  }

  std::vector<std::int64_t> cpu_ns;
  std::vector<Call> calls;
  std::vector<Work> work;
  const std::int64_t total0 = thread_cpu_ns();
  run(site, edges, !o.whole, cpu_ns, &calls, &work);
  const std::int64_t first_run_ns = thread_cpu_ns() - total0;
  for (int r = 1; r < o.runs; ++r) run(site, edges, !o.whole, cpu_ns, nullptr, nullptr);

  std::vector<std::int64_t> sorted = cpu_ns;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  auto quantile = [&](double q) { return sorted[std::min(n - 1, static_cast<std::size_t>(q * double(n)))]; };
  auto over = [&](std::int64_t ns) { return std::size_t(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), ns)); };
  std::int64_t wake_max = 0, push_max = 0;
  std::size_t wakes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (calls[i].input < 0) {
      ++wakes;
      wake_max = std::max(wake_max, cpu_ns[i]);
    } else {
      push_max = std::max(push_max, cpu_ns[i]);
    }
  }
  std::printf("%zu edges, %zu calls (%zu of them advance_to), radar passes measured %s; least of %d runs; "
              "first run %.3f s of CPU\n",
              edges.size(), n, wakes, o.whole ? "whole" : "in pieces", o.runs, static_cast<double>(first_run_ns) / 1e9);
  std::printf("per call CPU ms: p50 %.4f  p99 %.4f  p99.9 %.4f  p99.99 %.4f  max %.3f (push %.3f, advance_to %.3f)\n",
              ms(quantile(0.5)), ms(quantile(0.99)), ms(quantile(0.999)), ms(quantile(0.9999)), ms(sorted.back()),
              ms(push_max), ms(wake_max));
  std::printf("calls over 0.25 ms: %zu, over 0.5 ms: %zu, over 1 ms: %zu, over 2 ms: %zu\n", over(250'000),
              over(500'000), over(1'000'000), over(2'000'000));

  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  const std::size_t top = std::min<std::size_t>(n, static_cast<std::size_t>(o.top));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](std::size_t a, std::size_t b) { return cpu_ns[a] > cpu_ns[b]; });
  if (top > 0) std::printf("longest calls:\n  %-8s %-10s %-20s %8s %8s %7s %7s %8s\n", "ms", "call", "t_ns", "vehicles",
                           "passes", "blocks", "largest", "detector");
  for (std::size_t j = 0; j < top; ++j) {
    const std::size_t i = order[j];
    const Work& w = work[i];
    std::printf("  %-8.3f %-10s %-20" PRId64 " %8zu %8zu %7zu %7zu %8d\n", ms(cpu_ns[i]),
                calls[i].input < 0 ? "advance_to" : "push", calls[i].t_ns, w.vehicles, w.passes, w.pass_blocks,
                w.largest_pass, w.detector);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "roadspeed-decision-cpu: " << e.what() << '\n';
    return 1;
  }
}

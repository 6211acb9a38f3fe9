#include "daemon/stats/stats_output.hpp"

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/stats/local_time.hpp"

namespace roadspeed::stats {
namespace {

struct Field {
  std::string name;
  std::string text;  // empty: not available
  bool is_number = true;
};

std::string fixed(std::optional<double> v, int decimals = 1) {
  if (!v) return {};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}
std::string pct(std::optional<double> share) { return share ? fixed(*share * 100) : std::string(); }
std::string clock_time(std::optional<Peak> p) {
  if (!p) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", p->start_minute / 60, p->start_minute % 60);
  return buf;
}

void add_interval(std::vector<Field>& f, const std::string& name, const std::optional<Interval>& i, bool share) {
  const double scale = share ? 100 : 1;
  const std::string unit = share ? "_pct" : "_kmh";
  const auto v = [&](double x) { return i ? fixed(x * scale) : std::string(); };
  f.push_back({name + unit, v(i ? i->estimate : 0)});
  f.push_back({name + "_low" + unit, v(i ? i->low : 0)});
  f.push_back({name + "_high" + unit, v(i ? i->high : 0)});
}

std::vector<Field> fields(const GroupStats& g) {
  std::vector<Field> f{
      {"group", g.label, false}, {"hours", fixed(g.hours, 2)}, {"uptime_pct", pct(g.uptime)},
      {"volume", std::to_string(g.volume)}, {"days", std::to_string(g.days)},
      {"adt_days", std::to_string(g.adt_days)}, {"adt", fixed(g.adt)}, {"total_24h", fixed(g.adt)},
      {"total_16h", fixed(g.total_16h)}, {"total_12h", fixed(g.total_12h)},
      {"am_peak_start", clock_time(g.am_peak), false},
      {"am_peak_vehicles", fixed(g.am_peak ? std::optional(g.am_peak->vehicles) : std::nullopt)},
      {"pm_peak_start", clock_time(g.pm_peak), false},
      {"pm_peak_vehicles", fixed(g.pm_peak ? std::optional(g.pm_peak->vehicles) : std::nullopt)},
      {"with_speed", std::to_string(g.speeds.with_speed)}, {"mean_kmh", fixed(g.mean_kmh)},
      {"sd_kmh", fixed(g.sd_kmh)}, {"v15_kmh", fixed(g.v15_kmh)}, {"v50_kmh", fixed(g.v50_kmh)},
      {"v85_kmh", fixed(g.v85_kmh)}, {"v95_kmh", fixed(g.v95_kmh)}, {"max_kmh", fixed(g.max_kmh)},
      {"pace_from_kmh", g.pace ? std::to_string(g.pace->from_kmh) : ""},
      {"pace_pct", pct(g.pace ? std::optional(g.pace->share) : std::nullopt)},
      {"headway_lt1s_pct", pct(g.headway_lt1_share)}, {"headway_lt2s_pct", pct(g.headway_lt2_share)}};
  for (std::size_t c = 0; c < g.class_counts.size(); ++c)
    f.push_back({std::string(to_string(static_cast<VehicleClass>(c))) + "_pct",
                 g.volume ? pct(double(g.class_counts[c]) / double(g.volume)) : ""});
  for (const ThresholdFigure& t : g.thresholds) {
    f.push_back({"over_" + t.name + "_kmh", fixed(t.value_kmh)});
    f.push_back({"over_" + t.name, std::to_string(t.over)});
    f.push_back({"over_" + t.name + "_pct", pct(t.share)});
  }
  f.push_back({"bike_violations", g.bike_violations ? std::to_string(*g.bike_violations) : ""});
  f.push_back({"bike_violations_per_h", fixed(g.bike_violations_per_hour, 2)});
  f.push_back({"index_cars", std::to_string(g.index.cars)});
  add_interval(f, "index_mean", g.index.mean_kmh, false);
  add_interval(f, "index_within_limit", g.index.within_limit, true);
  add_interval(f, "index_within_limit5", g.index.within_limit_5, true);
  add_interval(f, "index_over30", g.index.over_limit_30, true);
  return f;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string json_string(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      q += buf;
      continue;
    }
    q += c;
  }
  return q + "\"";
}

}  // namespace

void write_stats_csv(std::ostream& out, const StatsResult& r) {
  bool header = false;
  for (const GroupStats& g : r.groups) {
    const auto f = fields(g);
    if (!header) {
      for (std::size_t i = 0; i < f.size(); ++i) out << (i ? "," : "") << csv_cell(f[i].name);
      out << '\n';
      header = true;
    }
    for (std::size_t i = 0; i < f.size(); ++i) out << (i ? "," : "") << csv_cell(f[i].text);
    out << '\n';
  }
}

void write_stats_json(std::ostream& out, const StatsResult& r) {
  const LocalClock clock(r.site.timezone);
  out << "{\"site\":" << json_string(r.site.id) << ",\"timezone\":" << json_string(r.site.timezone)
      << ",\"from\":" << json_string(clock.iso_minute(r.query.from_s))
      << ",\"to\":" << json_string(clock.iso_minute(r.query.to_s))
      << ",\"speed_limit_kmh\":" << fixed(r.site.speed_limit_kmh)
      << ",\"free_flow\":" << (r.query.free_flow ? "true" : "false") << ",\"groups\":[";
  for (std::size_t gi = 0; gi < r.groups.size(); ++gi) {
    out << (gi ? ",\n" : "\n") << '{';
    const auto f = fields(r.groups[gi]);
    for (std::size_t i = 0; i < f.size(); ++i) {
      out << (i ? "," : "") << json_string(f[i].name) << ':';
      if (f[i].text.empty()) out << "null";
      else out << (f[i].is_number ? f[i].text : json_string(f[i].text));
    }
    out << '}';
  }
  out << "\n]}\n";
}

}  // namespace roadspeed::stats

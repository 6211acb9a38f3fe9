// roadspeed import: a recorded trace (or gpiomon log) -> vehicles, bins and
// coverage in the database. Commits in large batches by count, each one
// transaction, so an interrupted import leaves whole batches only.
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/cli/trace_input.hpp"
#include "daemon/detect/vehicle_detector.hpp"
#include "daemon/site/site.hpp"
#include "daemon/store/store.hpp"

namespace roadspeed::cli {
namespace {

// Vehicles per transaction: large enough that the fsync per commit costs
// nothing against detection, small enough that a batch stays a few MB.
constexpr std::size_t vehicles_per_commit = 50'000;

struct ImportOptions {
  std::string db;
  TraceInputOptions input;
};

// Detection into batches; each batch carries the span of the trace it covers.
class Importer {
 public:
  Importer(const Site& site, store::Store& store) : detector_(site), store_(store) {}

  void push(const Edge& e) {
    if (!first_edge_ns_) first_edge_ns_ = observed_from_ns_ = e.t_ns;
    last_edge_ns_ = e.t_ns;
    detector_.push(e, batch_.vehicles);
    if (batch_.vehicles.size() >= vehicles_per_commit) commit();
  }

  std::size_t finish() {
    detector_.finish(batch_.vehicles);
    commit();
    return committed_;
  }

 private:
  void commit() {
    if (first_edge_ns_ && last_edge_ns_ > observed_from_ns_)
      batch_.observed.push_back({observed_from_ns_, last_edge_ns_});
    if (batch_.empty()) return;
    store_.commit(batch_);
    committed_ += batch_.vehicles.size();
    observed_from_ns_ = last_edge_ns_;
    batch_.clear();
  }

  VehicleDetector detector_;
  store::Store& store_;
  store::Batch batch_;
  std::optional<std::int64_t> first_edge_ns_;
  std::int64_t observed_from_ns_ = 0;
  std::int64_t last_edge_ns_ = 0;
  std::size_t committed_ = 0;
};

int import_trace(const ImportOptions& o) {
  TraceInput input(o.input);
  const Site& site = input.site();
  EdgeReader& reader = input.reader();

  // The site version is stamped with the trace's first edge, not the wall
  // clock, so importing old recordings keeps their history in order.
  std::optional<Edge> first = reader.next();
  store::Store store(o.db, site, first ? first->t_ns : 0);
  Importer importer(site, store);
  for (auto edge = first; edge; edge = reader.next()) importer.push(*edge);
  const std::size_t committed = importer.finish();
  std::cout << "committed " << committed << " vehicles to " << o.db << '\n';
  return 0;
}

}  // namespace

Action add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Detect vehicles in a recorded trace and store them in a database");
  cmd->add_option("--db", o->db, "Database file (created when missing)")->required();
  add_trace_input_options(*cmd, o->input);
  return [o] { return import_trace(*o); };
}

}  // namespace roadspeed::cli

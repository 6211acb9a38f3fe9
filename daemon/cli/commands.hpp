// The `roadspeed` subcommands, each in its own file. A command registers its
// options on the app and returns the action run when it is chosen; the action
// returns the process exit status.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace roadspeed::cli {

using Action = std::function<int()>;

Action add_analyze_command(CLI::App& app);
Action add_simulate_command(CLI::App& app);
Action add_record_command(CLI::App& app);
Action add_import_command(CLI::App& app);
Action add_backup_command(CLI::App& app);
Action add_stats_command(CLI::App& app);
Action add_monitor_command(CLI::App& app);
Action add_reanalyze_command(CLI::App& app);
Action add_prune_command(CLI::App& app);

}  // namespace roadspeed::cli

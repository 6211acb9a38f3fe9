// roadspeed: the command-line tools (analyze, simulate, ...). Every error is
// one line on stderr and a non-zero exit status.
#include <exception>
#include <iostream>
#include <utility>
#include <vector>

#include "daemon/cli/commands.hpp"
#include "daemon/site/site.hpp"

int main(int argc, char** argv) {
  CLI::App app{"roadspeed: vehicle speeds from loop detectors and radar"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "roadspeed 0.1.0");

  // The command table: every subcommand, in the order `--help` lists them.
  const std::vector<std::pair<CLI::App*, roadspeed::cli::Action>> commands = [&] {
    std::vector<std::pair<CLI::App*, roadspeed::cli::Action>> table;
    for (auto add : {&roadspeed::cli::add_analyze_command, &roadspeed::cli::add_simulate_command,
                     &roadspeed::cli::add_record_command, &roadspeed::cli::add_import_command,
                     &roadspeed::cli::add_backup_command, &roadspeed::cli::add_stats_command,
                     &roadspeed::cli::add_monitor_command, &roadspeed::cli::add_reanalyze_command,
                     &roadspeed::cli::add_prune_command}) {
      auto action = add(app);
      table.emplace_back(app.get_subcommands({}).back(), std::move(action));
    }
    return table;
  }();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (const auto& [sub, action] : commands)
      if (sub->parsed()) return action();
  } catch (const roadspeed::InputError& e) {
    std::cerr << e.what() << '\n';  // already "FILE:LINE: message", as tools expect
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "roadspeed: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

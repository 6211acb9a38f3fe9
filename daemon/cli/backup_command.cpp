// roadspeed backup: a consistent copy of a database, safe while the daemon writes.
#include <iostream>
#include <memory>
#include <string>

#include "daemon/cli/commands.hpp"
#include "daemon/store/backup.hpp"

namespace roadspeed::cli {

Action add_backup_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("backup", "Copy a database consistently (SQLite online backup), even while in use");
  cmd->add_option("--db", *db, "Database file")->required();
  cmd->add_option("--out", *out, "The copy (appears only complete)")->required();
  return [db, out] {
    store::backup_database(*db, *out);
    return 0;
  };
}

}  // namespace roadspeed::cli

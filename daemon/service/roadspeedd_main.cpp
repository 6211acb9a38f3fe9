// roadspeedd: the live daemon. `roadspeedd --config FILE`; docs/daemon.md.
// Start-up errors are one line on stderr and exit status 1.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "daemon/service/daemon.hpp"
#include "daemon/service/daemon_config.hpp"
#include "daemon/site/site.hpp"

int main(int argc, char** argv) {
  CLI::App app{"roadspeedd: measures vehicles from loop detectors and radar, live"};
  app.set_version_flag("--version", "roadspeedd 0.1.0");
  std::string config_file;
  app.add_option("--config", config_file, "The daemon's configuration file (TOML)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    roadspeed::Daemon daemon(roadspeed::load_daemon_config(config_file));
    return daemon.run();
  } catch (const roadspeed::InputError& e) {
    std::cerr << "<3>" << e.what() << '\n';  // "FILE:LINE: message"
  } catch (const std::exception& e) {
    std::cerr << "<3>roadspeedd: " << e.what() << '\n';
  }
  return 1;
}

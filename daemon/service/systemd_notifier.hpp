// The systemd notify protocol (sd_notify): READY, WATCHDOG pings, STATUS and
// STOPPING. Without NOTIFY_SOCKET (not started by systemd) every call does
// nothing, so the daemon runs the same by hand.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace roadspeed {

class SystemdNotifier {
 public:
  void ready() const;
  void stopping() const;
  void watchdog() const;
  void status(const std::string& text) const;
  // Half the WatchdogSec= systemd asked for, or nothing when it asked for none.
  std::optional<std::chrono::microseconds> watchdog_ping_interval() const;
};

}  // namespace roadspeed

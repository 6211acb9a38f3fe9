#include "daemon/service/systemd_notifier.hpp"

#include <systemd/sd-daemon.h>

namespace roadspeed {

void SystemdNotifier::ready() const { sd_notify(0, "READY=1"); }
void SystemdNotifier::stopping() const { sd_notify(0, "STOPPING=1"); }
void SystemdNotifier::watchdog() const { sd_notify(0, "WATCHDOG=1"); }
void SystemdNotifier::status(const std::string& text) const { sd_notify(0, ("STATUS=" + text).c_str()); }

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_ping_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace roadspeed

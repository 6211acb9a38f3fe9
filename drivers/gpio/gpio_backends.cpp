// The table of GPIO back-ends.
#include <stdexcept>

#include "drivers/gpio/gpio_driver.hpp"
#include "drivers/gpio/gpiod1/gpiod1_driver.hpp"

namespace roadspeed {

const std::vector<GpioBackend>& gpio_backends() {
  static const std::vector<GpioBackend> table = {
      {"libgpiod1", "libgpiod 1.6, GPIO character device v1 (Debian 12)",
       [](boost::asio::io_context& io, const Site& site, GpioHandlers handlers) -> std::unique_ptr<GpioDriver> {
         return std::make_unique<Gpiod1Driver>(io, site, std::move(handlers));
       }},
  };
  return table;
}

std::unique_ptr<GpioDriver> make_gpio_driver(std::string_view backend, boost::asio::io_context& io,
                                             const Site& site, GpioHandlers handlers) {
  std::string known;
  for (const auto& b : gpio_backends()) {
    if (b.name == backend) return b.make(io, site, std::move(handlers));
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  throw std::invalid_argument("unknown GPIO back-end '" + std::string(backend) + "' (known: " + known + ")");
}

}  // namespace roadspeed

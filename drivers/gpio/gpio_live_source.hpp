// The GPIO lines as the daemon's EdgeSource: GpioEdgeSource (libgpiod, the
// reorder window) behind the interface every live source has.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/site/site.hpp"
#include "drivers/edge_source.hpp"
#include "drivers/gpio/gpio_edge_source.hpp"

namespace roadspeed {

class GpioLiveSource final : public EdgeSource {
 public:
  // Requests every input's line now: a missing chip or line, or one already
  // in use, throws GpioError naming the input. `site` must outlive the source.
  // Kernel timestamps are mapped to wall time with the offset of this moment,
  // held for the source's life (the daemon corrects for later clock steps).
  GpioLiveSource(boost::asio::io_context& io, const Site& site, std::string_view backend,
                 std::function<void(const std::string&)> log_error);

  void start(Handlers handlers) override;
  std::int64_t delivered_through_ns() const override;
  void stop() override;
  bool stamps_with_system_clock() const override { return true; }
  std::optional<std::int64_t> clock_now_ns() const override;
  std::string describe() const override { return "gpio (" + backend_ + ")"; }

 private:
  std::string backend_;
  std::int64_t mono_to_wall_ns_;
  Handlers handlers_;
  std::function<void(const std::string&)> log_error_;
  std::unique_ptr<GpioEdgeSource> gpio_;
};

}  // namespace roadspeed

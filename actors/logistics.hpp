#pragma once

// The clock and pace of the simulated logistics: how long packing takes, how
// fast couriers ride and how often they report, all in simulated time that
// runs `time_scale` times faster than real time. What leaves the simulation
// for shoppers (an ETA) is in real time, like every timestamp of the API.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace berry {

struct logistics_params {
  /// Simulated seconds per real second (`--time-scale`).
  double time_scale = 1.0;
  /// A courier in city traffic: 25 km/h.
  double speed_mps = 25.0 / 3.6;
  /// Simulated time a warehouse needs to pack an order.
  std::chrono::milliseconds packing{120000};
  /// Simulated time between two position reports of a moving courier.
  std::chrono::milliseconds report_every{5000};
  /// Real time between two reports at least, however fast the clock runs,
  /// so that a high time scale makes bigger steps rather than a flood.
  std::chrono::milliseconds min_tick{20};
  /// A moving courier journals its position every this many reports (and
  /// always when it picks up, delivers or stops).
  int journal_every = 6;
  /// How long the dispatcher waits for a courier's answer.
  std::chrono::milliseconds step_timeout{5000};

  /// Real time for a simulated duration.
  std::chrono::milliseconds real(std::chrono::milliseconds simulated) const {
    auto ms =
        static_cast<int64_t>(simulated.count() / std::max(time_scale, 1e-6));
    return std::chrono::milliseconds{std::max<int64_t>(ms, 1)};
  }

  /// Real time between two movement steps.
  std::chrono::milliseconds tick() const {
    return std::max(real(report_every), min_tick);
  }

  /// Real seconds (rounded up) a courier needs for `metres`: what a shopper
  /// can count down on a clock, however fast the simulation runs.
  int64_t eta_s(double metres) const {
    if (metres <= 0 || speed_mps <= 0)
      return 0;
    double simulated_s = metres / speed_mps;
    return static_cast<int64_t>(
        std::ceil(simulated_s / std::max(time_scale, 1e-6) - 1e-9));
  }

  /// Metres a courier covers in one movement step.
  double step_m() const {
    double simulated_s = tick().count() / 1000.0 * time_scale;
    return speed_mps * simulated_s;
  }
};

} // namespace berry

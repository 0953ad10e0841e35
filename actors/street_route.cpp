#include "actors/street_route.hpp"

#include <cmath>

namespace berry {

namespace {

constexpr double metres_per_degree = 111195.0; // mean earth radius
constexpr double rad = M_PI / 180.0;

/// Metres per degree of longitude around latitude `lat`.
double lon_scale(double lat) {
  return metres_per_degree * std::cos(lat * rad);
}

} // namespace

double travel_m(geo_point a, geo_point b) {
  double north = std::abs(b.lat - a.lat) * metres_per_degree;
  // The east-west leg runs at b's latitude (see move_toward).
  double east = std::abs(b.lon - a.lon) * lon_scale(b.lat);
  return north + east;
}

double travel_m(geo_point from, const std::vector<geo_point>& stops) {
  double total = 0;
  for (auto& s : stops) {
    total += travel_m(from, s);
    from = s;
  }
  return total;
}

namespace {

/// Moves coordinate `x` towards `to` (`scale` metres per degree) by at most
/// `budget_m`; true when it got there.
bool ride_leg(double& x, double to, double scale, double& budget_m) {
  double need = std::abs(to - x) * scale;
  if (budget_m < need) {
    double step = budget_m / scale;
    x += to > x ? step : -step;
    budget_m = 0;
    return false;
  }
  budget_m -= need;
  x = to;
  return true;
}

} // namespace

geo_point move_toward(geo_point from, geo_point to, double& budget_m) {
  // North or south first, then east or west.
  if (ride_leg(from.lat, to.lat, metres_per_degree, budget_m))
    ride_leg(from.lon, to.lon, lon_scale(from.lat), budget_m);
  return from;
}

} // namespace berry

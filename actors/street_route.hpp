#pragma once

// How couriers get around the city: along streets, modelled as a grid, so a
// trip from a to b goes north or south first, then east or west (an
// L-shaped path) and its length is the Manhattan distance in metres. Pure
// functions, tested directly; the courier and the dispatcher use them.

#include <cstdint>
#include <vector>

#include "protocols/types.hpp"

namespace berry {

/// Metres along the streets from `a` to `b` (Manhattan distance on a local
/// flat projection; good for a city).
double travel_m(geo_point a, geo_point b);

/// Metres along the streets from `from` through every stop in turn.
double travel_m(geo_point from, const std::vector<geo_point>& stops);

/// Moves from `from` towards `to` along the L-shaped path by at most
/// `budget_m` metres; `budget_m` is reduced by what was used. The point
/// reached is `to` exactly when the budget was enough.
geo_point move_toward(geo_point from, geo_point to, double& budget_m);

} // namespace berry

#pragma once

// The streets of the delivery city (examples/demo/streets.json, compiled
// into the binary): numbered houses along each street, suggestions for a
// typed address, the house nearest a point on the map, and the delivery
// zone the shop serves. Pure: built once from the data, then only read.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/types.hpp"

namespace berry::demo {

/// A street as the map draws it: its name and its points, in order.
struct street {
  std::string name;
  std::vector<geo_point> points;
};

/// One house: "Тверская улица, 12" and where it stands.
struct street_address {
  std::string street;
  int house = 0;
  std::string text;
  geo_point location;
};

/// Where the shop delivers: within `radius_m` of the city's centre.
struct delivery_zone {
  std::string city;
  /// The city in identifiers ("moscow"; the city's name when the data
  /// gives none): its dispatch shard in a cluster is named after it.
  std::string city_id;
  geo_point center;
  double radius_m = 0;

  /// Metres from the centre (flat, as couriers measure the city).
  double distance_m(geo_point p) const;
  bool contains(geo_point p) const { return distance_m(p) <= radius_m; }
};

/// The streets of one city with their houses.
class city_streets {
public:
  /// Reads the JSON of streets.json; throws on a malformed document.
  explicit city_streets(std::string_view json);

  const std::vector<street>& streets() const { return streets_; }
  const delivery_zone& zone() const { return zone_; }

  /// Up to `limit` houses for a typed query: every word (case and «ё»
  /// folded) must start a word of the street's name, and a number, if
  /// given, must start the house number («твер 1» -> Тверская 1, 10..19).
  std::vector<street_address> suggest(std::string_view query,
                                      std::size_t limit) const;

  /// The house nearest `p`.
  street_address nearest(geo_point p) const;

private:
  std::vector<street> streets_;
  std::vector<street_address> houses_;
  delivery_zone zone_;
};

/// The demo city, read once.
const city_streets& demo_city();

} // namespace berry::demo

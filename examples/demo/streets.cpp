#include "examples/demo/streets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "examples/demo/demo_files.hpp"
#include "storage/russian_words.hpp"

namespace berry::demo {

namespace {

constexpr double metres_per_degree = 111195.0;

/// Metres east and north of `origin` (a flat projection: a city is small).
struct flat {
  double x = 0;
  double y = 0;
};

flat project(geo_point origin, geo_point p) {
  double scale = std::cos(origin.lat * M_PI / 180.0);
  return {(p.lon - origin.lon) * metres_per_degree * scale,
          (p.lat - origin.lat) * metres_per_degree};
}

double metres(geo_point a, geo_point b) {
  auto d = project(a, b);
  return std::hypot(d.x, d.y);
}

geo_point between(geo_point a, geo_point b, double t) {
  return {a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t};
}

/// Houses 1, 2, ... every `spacing` metres from the street's first point.
void add_houses(const street& s, double spacing,
                std::vector<street_address>& out) {
  int house = 0;
  double next = 0; // metres along the street of the next house
  double walked = 0;
  for (size_t i = 1; i < s.points.size(); ++i) {
    auto a = s.points[i - 1];
    auto b = s.points[i];
    double len = metres(a, b);
    for (; next <= walked + len; next += spacing) {
      double t = len > 0 ? (next - walked) / len : 0;
      ++house;
      out.push_back({s.name, house, s.name + ", " + std::to_string(house),
                     between(a, b, t)});
    }
    walked += len;
  }
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty())
      out.push_back(storage::fold_word(word));
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '.' || c == '-')
      flush();
    else
      word += c;
  }
  flush();
  return out;
}

bool all_digits(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

/// True when every query word starts some word of the street's name.
bool name_matches(const std::vector<std::string>& name,
                  const std::vector<std::string>& query) {
  return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
    return std::any_of(name.begin(), name.end(), [&](const std::string& w) {
      return w.compare(0, q.size(), q) == 0;
    });
  });
}

} // namespace

double delivery_zone::distance_m(geo_point p) const {
  return metres(center, p);
}

city_streets::city_streets(std::string_view text) {
  auto doc = nlohmann::json::parse(text);
  auto& z = doc.at("delivery_zone");
  zone_.city = doc.at("city").get<std::string>();
  zone_.city_id = doc.value("city_id", zone_.city);
  zone_.center = {z.at("center").at("lat"), z.at("center").at("lon")};
  zone_.radius_m = z.at("radius_km").get<double>() * 1000.0;
  double spacing = doc.at("house_spacing_m").get<double>();
  for (auto& s : doc.at("streets")) {
    street st{s.at("name").get<std::string>(), {}};
    for (auto& p : s.at("points"))
      st.points.push_back({p.at(0).get<double>(), p.at(1).get<double>()});
    add_houses(st, spacing, houses_);
    streets_.push_back(std::move(st));
  }
}

std::vector<street_address> city_streets::suggest(std::string_view query,
                                                  std::size_t limit) const {
  std::vector<std::string> words;
  std::string number;
  for (auto& w : words_of(query)) {
    if (all_digits(w))
      number = w;
    else if (w != "ул" && w != "улица" && w != "д" && w != "дом")
      words.push_back(w);
  }
  std::vector<street_address> out;
  if (words.empty())
    return out;
  for (auto& s : streets_) {
    if (!name_matches(words_of(s.name), words))
      continue;
    for (auto& h : houses_) {
      if (out.size() >= limit)
        return out;
      auto n = std::to_string(h.house);
      if (h.street == s.name && n.compare(0, number.size(), number) == 0)
        out.push_back(h);
    }
  }
  return out;
}

street_address city_streets::nearest(geo_point p) const {
  const street_address* best = nullptr;
  double best_m = std::numeric_limits<double>::max();
  for (auto& h : houses_) {
    double m = metres(p, h.location);
    if (m < best_m) {
      best_m = m;
      best = &h;
    }
  }
  return best ? *best : street_address{};
}

const city_streets& demo_city() {
  static const city_streets city{streets_json()};
  return city;
}

} // namespace berry::demo

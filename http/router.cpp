#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/query.hpp"

namespace berry::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/')
    path.remove_prefix(1);
  while (!path.empty()) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
    if (path.empty())
      out.emplace_back(); // a trailing slash is an empty last segment
  }
  return out;
}

bool method_takes(const std::string& route_method, std::string_view m) {
  return route_method == "*" || route_method == m ||
         (route_method == "GET" && m == "HEAD");
}

} // namespace

router::router(std::vector<route> routes) : routes_(std::move(routes)) {
  for (auto& r : routes_)
    compiled_.push_back(compile(r.pattern));
}

router::compiled router::compile(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with /: " + pattern);
  compiled out;
  for (auto part : split_path(pattern)) {
    if (!out.empty() && out.back().kind == segment::catch_all)
      throw std::invalid_argument("{*x} must come last: " + pattern);
    if (part.size() >= 3 && part.front() == '{' && part.back() == '}') {
      auto name = part.substr(1, part.size() - 2);
      if (name.front() == '*')
        out.push_back({segment::catch_all, std::string{name.substr(1)}});
      else
        out.push_back({segment::param, std::string{name}});
    } else {
      out.push_back({segment::literal, std::string{part}});
    }
  }
  return out;
}

bool router::matches(const compiled& c,
                     const std::vector<std::string_view>& parts,
                     path_params* out) {
  size_t i = 0;
  for (; i < c.size(); ++i) {
    auto& seg = c[i];
    if (seg.kind == segment::catch_all) {
      if (out) {
        std::string rest;
        for (size_t k = i; k < parts.size(); ++k)
          rest += (k > i ? "/" : "") + std::string{parts[k]};
        out->emplace_back(seg.text, std::move(rest));
      }
      return true;
    }
    if (i >= parts.size())
      return false;
    if (seg.kind == segment::literal) {
      if (parts[i] != seg.text)
        return false;
    } else {
      auto decoded = percent_decode(parts[i]);
      if (parts[i].empty() || !decoded)
        return false;
      if (out)
        out->emplace_back(seg.text, std::move(*decoded));
    }
  }
  return i == parts.size();
}

route_match router::match(std::string_view method,
                          std::string_view path) const {
  auto parts = split_path(path);
  // The most specific matching pattern decides; its kinds compare as a
  // sequence, literal > param > catch-all.
  const compiled* best = nullptr;
  auto more_specific = [](const compiled& a, const compiled& b) {
    return std::lexicographical_compare(
        b.begin(), b.end(), a.begin(), a.end(),
        [](const segment& x, const segment& y) { return x.kind < y.kind; });
  };
  for (auto& c : compiled_)
    if (matches(c, parts, nullptr) && (!best || more_specific(c, *best)))
      best = &c;
  route_match out;
  if (!best) {
    out.name = "unmatched";
    return out;
  }
  std::vector<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].pattern != routes_[best - compiled_.data()].pattern)
      continue;
    out.name = routes_[i].pattern;
    if (method_takes(routes_[i].method, method) && !out.matched) {
      out.kind = route_match::found;
      out.matched = &routes_[i];
      matches(compiled_[i], parts, &out.params);
    }
    allowed.push_back(routes_[i].method);
    if (routes_[i].method == "GET")
      allowed.push_back("HEAD");
  }
  if (out.matched)
    return out;
  out.kind = route_match::no_method;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (auto& m : allowed)
    out.allow += (out.allow.empty() ? "" : ", ") + m;
  return out;
}

} // namespace berry::http

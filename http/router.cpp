#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/query.hpp"

namespace berry::http {

namespace {

router::path_parts split_path(std::string_view path) {
  router::path_parts out;
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

/// Whether percent_decode takes `part`, without decoding it when there is
/// nothing to decode.
bool decodable(std::string_view part) {
  if (part.find('%') == std::string_view::npos)
    return valid_utf8(part);
  return percent_decode(part).has_value();
}

bool method_takes(const std::string& route_method, std::string_view m) {
  return route_method == "*" || route_method == m ||
         (route_method == "GET" && m == "HEAD");
}

} // namespace

router::router(std::vector<route> routes) : routes_(std::move(routes)) {
  for (auto& r : routes_)
    compiled_.push_back(compile(r.pattern));
  trie_.emplace_back();
  for (size_t i = 0; i < routes_.size(); ++i)
    add_to_trie(i);
  same_pattern_.resize(routes_.size());
  for (size_t i = 0; i < routes_.size(); ++i)
    for (size_t k = 0; k < routes_.size(); ++k)
      if (routes_[k].pattern == routes_[i].pattern)
        same_pattern_[i].push_back(k);
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

bool router::matches(const compiled& c, const path_parts& parts,
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
    } else if (!out) {
      if (parts[i].empty() || !decodable(parts[i]))
        return false;
    } else {
      auto decoded = percent_decode(parts[i]);
      if (parts[i].empty() || !decoded)
        return false;
      out->emplace_back(seg.text, std::move(*decoded));
    }
  }
  return i == parts.size();
}

void router::add_to_trie(size_t route) {
  size_t n = 0;
  for (auto& seg : compiled_[route]) {
    if (seg.kind == segment::catch_all) {
      if (trie_[n].catch_all == npos)
        trie_[n].catch_all = route;
      return;
    }
    size_t next = npos;
    if (seg.kind == segment::param) {
      next = trie_[n].param;
    } else {
      for (auto& [text, child] : trie_[n].literals)
        if (text == seg.text)
          next = child;
    }
    if (next == npos) {
      next = trie_.size();
      if (seg.kind == segment::param)
        trie_[n].param = next;
      else
        trie_[n].literals.emplace_back(seg.text, next);
      trie_.emplace_back(); // invalidates references into trie_
    }
    n = next;
  }
  if (trie_[n].end == npos)
    trie_[n].end = route;
}

// The most specific pattern compares greatest as a sequence of kinds
// (literal > param > catch-all, and a pattern that goes on beats its
// prefix), so at each segment the literal child is tried first, then the
// parameter, then a catch-all; a branch that matches nothing further down
// falls back to the next.
size_t router::find(size_t n, const path_parts& parts, size_t i) const {
  auto& here = trie_[n];
  if (i == parts.size())
    return here.catch_all != npos ? here.catch_all : here.end;
  for (auto& [text, child] : here.literals) {
    if (text == parts[i]) {
      if (auto r = find(child, parts, i + 1); r != npos)
        return r;
      break;
    }
  }
  if (here.param != npos && !parts[i].empty() && decodable(parts[i]))
    if (auto r = find(here.param, parts, i + 1); r != npos)
      return r;
  return here.catch_all;
}

route_match router::match(std::string_view method,
                          std::string_view path) const {
  auto parts = split_path(path);
  auto found = find(0, parts, 0);
  const compiled* best = found == npos ? nullptr : &compiled_[found];
  route_match out;
  if (!best) {
    out.name = "unmatched";
    return out;
  }
  auto& group = same_pattern_[static_cast<size_t>(best - compiled_.data())];
  out.name = routes_[group.front()].pattern;
  for (auto i : group) {
    if (method_takes(routes_[i].method, method)) {
      out.kind = route_match::found;
      out.matched = &routes_[i];
      matches(compiled_[i], parts, &out.params);
      return out;
    }
  }
  std::vector<std::string_view> allowed;
  for (auto i : group) {
    allowed.push_back(routes_[i].method);
    if (routes_[i].method == "GET")
      allowed.push_back("HEAD");
  }
  out.kind = route_match::no_method;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (auto m : allowed)
    out.allow.append(out.allow.empty() ? "" : ", ").append(m);
  return out;
}

} // namespace berry::http

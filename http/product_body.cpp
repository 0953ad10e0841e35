#include "http/product_body.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "http/json_mapping.hpp"

namespace berry::http {

namespace {

/// Bytes of the UTF-8 sequence at `s[i]`, or 0 when it is not a valid one
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t utf8_length(std::string_view s, size_t i) {
  auto at = [&](size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  auto tail = [&](size_t k) { return (at(k) & 0xC0) == 0x80; };
  unsigned c = at(0);
  if (c >= 0xC2 && c <= 0xDF)
    return tail(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return at(1) >= lo && at(1) <= hi && tail(2) && tail(3) ? 4 : 0;
  }
  return 0;
}

/// True when `s` is valid UTF-8 that JSON carries as it is.
bool plain(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\')
        return false;
      ++i;
    } else if (auto n = utf8_length(s, i)) {
      i += n;
    } else {
      return false;
    }
  }
  return true;
}

} // namespace

void append_json_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_json_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // The library's own shortest round-trip form (with ".0" on whole numbers).
  char buf[64];
  auto* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_json_string(std::string& out, std::string_view s) {
  if (!plain(s)) {
    // Escapes or bad bytes (rare): exactly as the JSON library writes them.
    out += dump_json(nlohmann::json(std::string{s}));
    return;
  }
  out += '"';
  out.append(s.data(), s.size());
  out += '"';
}

void append_product_json(std::string& out, const catalog_entry& e) {
  // product_json's keys in the order a JSON object dumps them: sorted.
  const auto& p = e.item;
  out += "{\"available\":";
  append_json_int(out, e.available);
  out += ",\"category_id\":";
  append_json_string(out, p.category_id);
  out += ",\"created_at\":";
  append_json_string(out, rfc3339_utc(p.created_at));
  out += ",\"description\":";
  append_json_string(out, p.description);
  out += ",\"id\":";
  append_json_string(out, p.id);
  out += ",\"price\":{\"amount\":";
  append_json_int(out, p.price);
  out += ",\"currency\":\"RUB\"},\"title\":";
  append_json_string(out, p.title);
  out += '}';
}

std::string product_body(const catalog_entry& e) {
  std::string out;
  out.reserve(96 + e.item.title.size() + e.item.description.size() +
              e.item.id.size() + e.item.category_id.size());
  append_product_json(out, e);
  return out;
}

} // namespace berry::http

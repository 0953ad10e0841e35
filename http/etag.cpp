#include "http/etag.hpp"

#include "http/message.hpp"

namespace berry::http {

namespace {

std::string_view opaque(std::string_view tag) {
  if (tag.size() >= 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/')
    tag.remove_prefix(2);
  return tag;
}

} // namespace

uint64_t fnv1a64(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string make_etag(std::string_view body) {
  return etag_of(fnv1a64(body));
}

std::string etag_of(uint64_t h) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(18, '"');
  for (int i = 16; i >= 1; --i) {
    out[i] = digits[h & 0xf];
    h >>= 4;
  }
  return out;
}

bool if_none_match(std::string_view header, std::string_view etag) {
  auto mine = opaque(trim_ows(etag));
  if (mine.empty())
    return false;
  // Tags are quoted and a quoted tag holds no comma, so splitting on commas
  // is exact for well-formed lists.
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = trim_ows(header.substr(0, comma));
    if (item == "*" || (!item.empty() && opaque(item) == mine))
      return true;
    if (comma == std::string_view::npos)
      break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace berry::http

#include "http/query.hpp"

#include <limits>

namespace berry::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

problem invalid(const std::string& param, const std::string& why) {
  return make_problem(400, "validation", param + ": " + why);
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string{s.substr(b, e - b + 1)};
}

std::optional<sort_order> to_sort(const std::string& s) {
  if (s == "relevance")
    return sort_order::relevance;
  if (s == "price_asc")
    return sort_order::price_asc;
  if (s == "price_desc")
    return sort_order::price_desc;
  if (s == "newest")
    return sort_order::newest;
  if (s == "title")
    return sort_order::title;
  if (s == "popular")
    return sort_order::popular;
  return std::nullopt;
}

} // namespace

std::optional<int64_t> query_int(const std::string& s, int64_t lo, int64_t hi) {
  if (s.empty() || s.size() > 18)
    return std::nullopt;
  int64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    x = x * 10 + (c - '0');
  }
  if (x < lo || x > hi)
    return std::nullopt;
  return x;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xe  ? 3
                 : (c >> 3) == 0x1e ? 4
                                    : 0;
    if (len == 0 || i + len > s.size())
      return false;
    uint32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    static constexpr uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
}

std::optional<std::string> percent_decode(std::string_view s,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size())
        return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (!valid_utf8(out))
    return std::nullopt;
  return out;
}

outcome<std::vector<std::pair<std::string, std::string>>>
parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    if (item.empty())
      continue;
    auto eq = item.find('=');
    auto raw_key = item.substr(0, eq);
    auto raw_val =
        eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    auto key = percent_decode(raw_key, true);
    if (!key)
      return invalid(std::string{raw_key}, "malformed percent-encoding");
    auto val = percent_decode(raw_val, true);
    if (!val)
      return invalid(*key, "malformed percent-encoding or invalid UTF-8");
    out.emplace_back(std::move(*key), std::move(*val));
  }
  return out;
}

std::optional<param_error> read_paging(const std::string& page_text,
                                       const std::string& page_size_text,
                                       int64_t& page, int64_t& page_size) {
  if (!page_text.empty()) {
    auto x = query_int(page_text, 1, 1'000'000'000);
    if (!x)
      return param_error{"page", "expected an integer >= 1"};
    page = *x;
  }
  if (!page_size_text.empty()) {
    auto x = query_int(page_size_text, 1, 100);
    if (!x)
      return param_error{"page_size", "expected an integer from 1 to 100"};
    page_size = *x;
  }
  return std::nullopt;
}

outcome<products_query> parse_products_query(std::string_view query) {
  auto pairs = parse_query(query);
  if (!pairs)
    return pairs.error();
  auto get = [&](std::string_view key) -> std::string {
    for (auto& [k, v] : *pairs)
      if (k == key)
        return trim(v);
    return {};
  };
  constexpr auto max_money = std::numeric_limits<int64_t>::max() / 4;
  products_query out;
  out.q = get("q");
  out.category = get("category");
  for (auto [key, field] : {std::pair{"min_price", &out.min_price},
                            std::pair{"max_price", &out.max_price}}) {
    if (auto s = get(key); !s.empty()) {
      auto x = query_int(s, 0, max_money);
      if (!x)
        return invalid(key, "expected an integer amount of kopecks >= 0");
      *field = *x;
    }
  }
  if (out.min_price && out.max_price && *out.min_price > *out.max_price)
    return invalid("min_price", "must not be greater than max_price");
  if (auto bad =
          read_paging(get("page"), get("page_size"), out.page, out.page_size))
    return invalid(bad->param, bad->why);
  if (auto s = get("sort"); !s.empty()) {
    auto x = to_sort(s);
    if (!x)
      return invalid("sort", "expected one of relevance, price_asc, "
                             "price_desc, newest, title, popular");
    out.sort = *x;
  }
  return out;
}

} // namespace berry::http

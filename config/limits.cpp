#include "config/limits.hpp"

#include <cstdlib>
#include <stdexcept>

#include "config/config.hpp"

namespace berry {

namespace {

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from <= v.size()) {
    auto comma = v.find(',', from);
    auto part = v.substr(from, comma - from);
    auto b = part.find_first_not_of(' ');
    auto e = part.find_last_not_of(' ');
    if (b != std::string::npos)
      out.push_back(part.substr(b, e - b + 1));
    if (comma == std::string::npos)
      break;
    from = comma + 1;
  }
  return out;
}

rate_spec to_rate(const std::string& flag, const std::string& v) {
  auto spec = parse_rate_spec(v);
  if (!spec)
    throw std::invalid_argument("--" + flag +
                                ": expected RATE/UNIT:BURST such as 50/s:500 "
                                "(unit s, min or h), got '" +
                                v + "'");
  return *spec;
}

size_t to_count(const std::string& flag, const std::string& v, size_t lo) {
  char* end = nullptr;
  auto x = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || x < lo || x > (1u << 24))
    throw std::invalid_argument("--" + flag + ": expected an integer from " +
                                std::to_string(lo) + ", got '" + v + "'");
  return static_cast<size_t>(x);
}

} // namespace

std::optional<rate_spec> parse_rate_spec(const std::string& text) {
  auto slash = text.find('/');
  auto colon = text.find(':');
  if (slash == std::string::npos || colon == std::string::npos || colon < slash)
    return std::nullopt;
  char* end = nullptr;
  auto n = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + slash || !(n > 0) || n > 1e9)
    return std::nullopt;
  auto unit = text.substr(slash + 1, colon - slash - 1);
  double seconds = unit == "s"     ? 1
                   : unit == "min" ? 60
                   : unit == "h"   ? 3600
                                   : 0;
  auto burst_text = text.substr(colon + 1);
  auto burst = std::strtod(burst_text.c_str(), &end);
  if (seconds == 0 || burst_text.empty() || *end != '\0' || !(burst >= 1) ||
      burst > 1e9)
    return std::nullopt;
  return rate_spec{n / seconds, burst};
}

const std::vector<option_info>& abuse_options() {
  // A function's static: config.cpp's own table is built from this one
  // during static initialisation, in whatever order the two files run.
  static const std::vector<option_info> options = {
      {"rate-limits", "BERRY_RATE_LIMITS",
       "on|off: off turns every rate limit off, for load tests (default on)"},
      {"rate-per-address", "BERRY_RATE_PER_ADDRESS",
       "requests per client address, RATE/UNIT:BURST (default 50/s:500)"},
      {"rate-auth", "BERRY_RATE_AUTH",
       "register and login per client address (default 30/min:30)"},
      {"rate-user-writes", "BERRY_RATE_USER_WRITES",
       "cart writes and order actions per user (default 5/s:50)"},
      {"rate-checkout", "BERRY_RATE_CHECKOUT",
       "checkouts per user (default 30/min:10)"},
      {"ws-per-user", "BERRY_WS_PER_USER",
       "open tracking sockets per user (default 10)"},
      {"ws-per-address", "BERRY_WS_PER_ADDRESS",
       "open tracking sockets per client address (default 10)"},
      {"rate-table-size", "BERRY_RATE_TABLE_SIZE",
       "keys each table of limits keeps (default 65536)"},
      {"trusted-proxies", "BERRY_TRUSTED_PROXIES",
       "CIDR[,...] whose X-Forwarded-For names the client (default none)"},
      {"allowed-origins", "BERRY_ALLOWED_ORIGINS",
       "ORIGIN[,...] a tracking socket may come from (default the server's)"},
      {"metrics-allow", "BERRY_METRICS_ALLOW",
       "CIDR[,...] that may read /metrics (default loopback)"},
      {"max-unpaid-orders", "BERRY_MAX_UNPAID_ORDERS",
       "orders per user whose checkout still runs (default 5)"},
      {"max-units-per-product", "BERRY_MAX_UNITS_PER_PRODUCT",
       "units of one product in one order, 1..99 (default 99)"},
  };
  return options;
}

bool apply_abuse_option(abuse_config& cfg, const std::string& flag,
                        const std::string& value) {
  if (flag == "rate-limits") {
    if (value != "on" && value != "off")
      throw std::invalid_argument("--rate-limits: expected on or off, got '" +
                                  value + "'");
    cfg.rate_limits = value == "on";
  } else if (flag == "rate-per-address") {
    cfg.per_address = to_rate(flag, value);
  } else if (flag == "rate-auth") {
    cfg.auth = to_rate(flag, value);
  } else if (flag == "rate-user-writes") {
    cfg.user_writes = to_rate(flag, value);
  } else if (flag == "rate-checkout") {
    cfg.checkout = to_rate(flag, value);
  } else if (flag == "ws-per-user") {
    cfg.ws_per_user = to_count(flag, value, 1);
  } else if (flag == "ws-per-address") {
    cfg.ws_per_address = to_count(flag, value, 1);
  } else if (flag == "rate-table-size") {
    cfg.table_size = to_count(flag, value, 16);
  } else if (flag == "trusted-proxies") {
    cfg.trusted_proxies = split_list(value);
  } else if (flag == "allowed-origins") {
    cfg.allowed_origins = split_list(value);
  } else if (flag == "metrics-allow") {
    cfg.metrics_allow = split_list(value);
  } else if (flag == "max-unpaid-orders") {
    cfg.max_unpaid_orders = to_count(flag, value, 1);
  } else if (flag == "max-units-per-product") {
    auto units = to_count(flag, value, 1);
    if (units > 99)
      throw std::invalid_argument("--max-units-per-product: at most 99 (a "
                                  "line's own limit), got '" +
                                  value + "'");
    cfg.max_units_per_product = static_cast<int>(units);
  } else {
    return false;
  }
  return true;
}

} // namespace berry

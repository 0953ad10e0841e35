#pragma once

// The abuse limits of the edge (issue 11): rate limits, trusted proxies,
// allowed WebSocket origins, who may read /metrics. Kept apart from
// config.hpp so the flags of one concern live together.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace berry {

struct option_info;

/// A token bucket's shape: `burst` tokens at most, refilled at `per_second`.
struct rate_spec {
  double per_second = 1;
  double burst = 1;
};

/// Parses "N/s:B", "N/min:B" or "N/h:B" (N tokens per unit, burst B);
/// nothing when malformed.
std::optional<rate_spec> parse_rate_spec(const std::string& text);

/// Everything the edge limits, with defaults a shop can live with.
struct abuse_config {
  /// false (`--rate-limits off`) turns every rate limit and per-user
  /// business limit off: for load tests from one address.
  bool rate_limits = true;
  /// Every request, per client address.
  rate_spec per_address{50, 500};
  /// Register and login, per client address, besides per_address.
  rate_spec auth{0.5, 30};
  /// Cart writes and order actions, per user.
  rate_spec user_writes{5, 50};
  /// Checkouts, per user.
  rate_spec checkout{0.5, 10};
  /// Open tracking sockets per user and per client address.
  size_t ws_per_user = 10;
  size_t ws_per_address = 10;
  /// Keys each table of limits holds at most; the least recently used
  /// goes when a new one comes.
  size_t table_size = 65536;
  /// CIDRs whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  /// Origins a WebSocket may come from; empty means the server's own.
  std::vector<std::string> allowed_origins;
  /// CIDRs that may read /metrics.
  std::vector<std::string> metrics_allow{"127.0.0.0/8", "::1/128"};
  /// Per-user business limits (off with rate_limits): orders of one user
  /// whose checkout is still running (not yet paid or cancelled), and
  /// units of one product in one order (1..99).
  size_t max_unpaid_orders = 5;
  int max_units_per_product = 99;
};

/// The options of abuse_config, for --help and the option table.
const std::vector<option_info>& abuse_options();

/// Applies `flag` when it is one of abuse_options(); false otherwise.
/// Throws std::invalid_argument when the value does not parse.
bool apply_abuse_option(abuse_config& cfg, const std::string& flag,
                        const std::string& value);

} // namespace berry

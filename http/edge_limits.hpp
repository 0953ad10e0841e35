#pragma once

// The edge's rate limits as policy: which buckets a request draws from
// (per client address always, per address for auth routes, per user for
// writes and checkouts) and how many tracking sockets a user or an address
// may hold open. Over a limit: 429 `rate-limited` with Retry-After. With
// `--rate-limits off` everything is let through.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/limits.hpp"
#include "http/client_address.hpp"
#include "http/message.hpp"
#include "http/rate_limit.hpp"
#include "http/router.hpp"

namespace berry::http {

/// The rate limits of one server. Thread-safe.
class edge_limits {
public:
  /// Names the caller of a request (its verified user id), or "".
  using user_finder = std::function<std::string(const request&)>;
  using clock_fn = std::function<rate_clock::time_point()>;

  /// Throws std::invalid_argument on a malformed CIDR in `cfg`.
  edge_limits(const abuse_config& cfg, user_finder user_of,
              clock_fn clock = &rate_clock::now);

  /// Nothing when `req` (its `client` set) may be served, else the 429.
  std::optional<response> admit(const request& req, rate_class cls);

  /// Holds one open tracking socket of `user` from `client` until the
  /// returned slot is destroyed; nothing when either has its most open.
  std::shared_ptr<void> open_socket(const std::string& user,
                                    const std::string& client);

  /// The client of a request from `peer` with these X-Forwarded-For values
  /// (client_address.hpp).
  ip_bytes client_of(const ip_bytes& peer,
                     std::string_view forwarded_for) const;

  /// Whether a client at `client_ip` (request::client_ip) may read /metrics.
  bool may_read_metrics(const std::string& client_ip) const;

  /// Whether a WebSocket from `origin` may open on a server reached as
  /// `host` (the Host header): one of --allowed-origins, or by default the
  /// server's own origin. No Origin at all (not a browser) is allowed.
  bool origin_allowed(std::string_view origin, std::string_view host) const;

  /// Keys held by the per-address table (the flood test's witness).
  size_t address_keys() const { return per_address_.size(); }

private:
  abuse_config cfg_;
  user_finder user_of_;
  clock_fn clock_;
  cidr_list trusted_;
  cidr_list metrics_;
  rate_table per_address_;
  rate_table auth_;
  rate_table user_writes_;
  rate_table checkout_;
  std::shared_ptr<open_counter> sockets_;
};

/// The 429 `rate-limited` problem with Retry-After for a wait of `wait`.
response rate_limited(rate_clock::duration wait, const std::string& what,
                      const std::string& request_id);

} // namespace berry::http

#include "http/edge_limits.hpp"

#include <cmath>

#include "http/problem.hpp"

namespace berry::http {

edge_limits::edge_limits(const abuse_config& cfg, user_finder user_of,
                         clock_fn clock)
    : cfg_(cfg), user_of_(std::move(user_of)), clock_(std::move(clock)),
      trusted_(cfg.trusted_proxies), metrics_(cfg.metrics_allow),
      per_address_(cfg.per_address, cfg.table_size),
      auth_(cfg.auth, cfg.table_size),
      user_writes_(cfg.user_writes, cfg.table_size),
      checkout_(cfg.checkout, cfg.table_size),
      sockets_(std::make_shared<open_counter>()) {}

std::optional<response> edge_limits::admit(const request& req, rate_class cls) {
  if (!cfg_.rate_limits)
    return std::nullopt;
  auto now = clock_();
  if (auto wait = per_address_.take(req.client, now); wait.count() > 0)
    return rate_limited(wait, "this address sends too many requests",
                        req.request_id);
  if (cls == rate_class::auth) {
    if (auto wait = auth_.take(req.client, now); wait.count() > 0)
      return rate_limited(wait, "too many sign-ins from this address",
                          req.request_id);
  }
  if (cls != rate_class::user_write && cls != rate_class::checkout)
    return std::nullopt;
  // No valid token: the handler answers 401 without any work to limit.
  auto user = user_of_ ? user_of_(req) : std::string{};
  if (user.empty())
    return std::nullopt;
  auto& table = cls == rate_class::checkout ? checkout_ : user_writes_;
  if (auto wait = table.take(user, now); wait.count() > 0)
    return rate_limited(wait,
                        cls == rate_class::checkout
                            ? "too many checkouts; slow down"
                            : "too many changes; slow down",
                        req.request_id);
  return std::nullopt;
}

std::shared_ptr<void> edge_limits::open_socket(const std::string& user,
                                               const std::string& client) {
  struct slot {
    std::shared_ptr<open_counter> counter;
    std::string user, client;
    ~slot() {
      counter->release("u:" + user);
      counter->release("a:" + client);
    }
  };
  if (!cfg_.rate_limits)
    return std::make_shared<int>(0);
  if (!sockets_->acquire("u:" + user, cfg_.ws_per_user))
    return nullptr;
  if (!sockets_->acquire("a:" + client, cfg_.ws_per_address)) {
    sockets_->release("u:" + user);
    return nullptr;
  }
  // Filled in place: a copied slot would release on the copy's death.
  auto held = std::make_shared<slot>();
  held->counter = sockets_;
  held->user = user;
  held->client = client;
  return held;
}

ip_bytes edge_limits::client_of(const ip_bytes& peer,
                                std::string_view forwarded_for) const {
  return client_ip(peer, forwarded_for, trusted_);
}

bool edge_limits::may_read_metrics(const std::string& client_ip) const {
  auto ip = parse_ip(client_ip);
  return ip && metrics_.contains(*ip);
}

bool edge_limits::origin_allowed(std::string_view origin,
                                 std::string_view host) const {
  if (origin.empty())
    return true;
  if (cfg_.allowed_origins.empty())
    return !host.empty() && (iequals(origin, "http://" + std::string{host}) ||
                             iequals(origin, "https://" + std::string{host}));
  for (auto& allowed : cfg_.allowed_origins)
    if (iequals(origin, allowed))
      return true;
  return false;
}

response rate_limited(rate_clock::duration wait, const std::string& what,
                      const std::string& request_id) {
  auto seconds = std::max<double>(
      1, std::ceil(std::chrono::duration<double>(wait).count()));
  auto res =
      problem_response(make_problem(429, "rate-limited", what), request_id);
  res.set("Retry-After", std::to_string(static_cast<long long>(seconds)));
  return res;
}

} // namespace berry::http

#include "http/edge_state.hpp"

#include "http/metrics.hpp"
#include "http/security_headers.hpp"

namespace berry::http {

edge_state::edge_state(edge_context ctx, std::vector<route> routes,
                       std::shared_ptr<edge_limits> limits)
    : ctx(std::move(ctx)), routes(std::move(routes)), limits(std::move(limits)),
      csp(content_security_policy(this->ctx.web_root)),
      max_connections(this->ctx.cfg->max_connections) {}

uint64_t edge_state::add_session(std::weak_ptr<edge_connection> s) {
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.emplace(++next_key_, std::move(s));
  if (ctx.stats)
    ctx.stats->connection_opened();
  return next_key_;
}

void edge_state::remove_session(uint64_t key) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (sessions_.erase(key) == 0)
    return;
  if (ctx.stats)
    ctx.stats->connection_closed();
  if (sessions_.empty())
    cv_.notify_all();
}

size_t edge_state::open_sessions() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return sessions_.size();
}

std::vector<std::shared_ptr<edge_connection>>
edge_state::live_sessions() const {
  std::vector<std::shared_ptr<edge_connection>> out;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [key, weak] : sessions_)
    if (auto s = weak.lock())
      out.push_back(std::move(s));
  return out;
}

bool edge_state::wait_no_sessions(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> guard{mtx_};
  return cv_.wait_for(guard, timeout, [this] { return sessions_.empty(); });
}

} // namespace berry::http

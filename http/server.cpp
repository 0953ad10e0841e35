#include "http/server.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "actors/worker_pool.hpp"
#include "config/logging.hpp"
#include "http/auth.hpp"
#include "http/beast.hpp"
#include "http/edge_state.hpp"
#include "http/fd_limit.hpp"
#include "http/http_session.hpp"
#include "http/listener.hpp"
#include "http/routes.hpp"
#include "http/tracking_feeds.hpp"

namespace berry::http {

namespace {

// Searches that may wait for a read thread, per thread; more answer 503
// (a client that would wait behind a few dozen searches is better told to
// come back).
constexpr std::size_t read_queue_per_thread = 64;

// Readiness probes that may wait for the probe thread (a load balancer
// asks about once a second).
constexpr std::size_t probe_queue = 16;

} // namespace

// Members are destroyed bottom-up: threads are joined and the read pool is
// gone before the io_context, whose destruction frees the sessions, and the
// route environment outlives them all.
struct server::impl {
  route_env env;
  std::shared_ptr<edge_state> state;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<worker_pool> reads;
  std::optional<worker_pool> probes;
  std::shared_ptr<listener> lst;
  std::vector<std::thread> threads;

  explicit impl(edge_context ctx) : ioc(std::max(1, ctx.cfg->io_threads)) {
    env.ctx = std::move(ctx);
    env.post_read = [this](std::function<void()> job) {
      return reads && reads->try_post(std::move(job));
    };
    env.post_probe = [this](std::function<void()> job) {
      return probes && probes->try_post(std::move(job));
    };
    env.is_ready = [this] { return state->ready && !state->draining; };
    env.limits = std::make_shared<edge_limits>(
        env.ctx.cfg->abuse, [this](const request& req) {
          auto who = authenticate(env, req);
          return who ? who->user_id : std::string{};
        });
    if (env.ctx.sys && env.ctx.tracking_via)
      env.feeds =
          std::make_shared<tracking_feeds>(*env.ctx.sys, env.ctx.tracking_via);
    state = std::make_shared<edge_state>(env.ctx, make_routes(env), env.limits);
  }
};

server::server(edge_context ctx) {
  if (!ctx.cfg || !ctx.catalog)
    throw std::invalid_argument("edge_context needs cfg and catalog");
  impl_ = std::make_unique<impl>(std::move(ctx));
}

server::~server() {
  stop();
}

uint16_t server::start() {
  auto& d = *impl_;
  auto& cfg = *d.env.ctx.cfg;
  d.state->max_connections = fit_connections_to_fd_limit(cfg.max_connections);
  d.lst = std::make_shared<listener>(d.ioc, d.state);
  auto port = d.lst->open(cfg.host, cfg.port);
  auto read_threads = static_cast<std::size_t>(std::max(1, cfg.read_threads));
  d.reads.emplace(read_threads, read_threads * read_queue_per_thread);
  d.probes.emplace(1, probe_queue);
  d.work.emplace(d.ioc.get_executor());
  d.lst->run();
  for (int i = 0; i < std::max(1, cfg.io_threads); ++i) {
    d.threads.emplace_back([&d] {
      // A throwing handler is a bug; log it and keep serving the others.
      for (;;) {
        try {
          d.ioc.run();
          return;
        } catch (const std::exception& e) {
          log::error("io thread caught an exception", {{"error", e.what()}});
        }
      }
    });
  }
  return port;
}

void server::set_ready(bool ready) {
  impl_->state->ready = ready;
}

bool server::settle(std::chrono::milliseconds within) {
  auto& d = *impl_;
  if (!d.state->draining.exchange(true)) {
    if (d.lst)
      d.lst->stop();
    for (auto& s : d.state->live_sessions())
      s->drain();
  }
  return d.state->wait_no_sessions(within);
}

void server::drain() {
  auto& d = *impl_;
  if (settle(d.env.ctx.cfg->drain_timeout))
    return;
  log::warn("drain timed out; closing the remaining connections",
            {{"connections", static_cast<uint64_t>(d.state->open_sessions())}});
  for (auto& s : d.state->live_sessions())
    s->force_close();
  d.state->wait_no_sessions(std::chrono::seconds(1));
}

void server::stop() {
  auto& d = *impl_;
  d.work.reset();
  d.ioc.stop();
  for (auto& t : d.threads)
    if (t.joinable())
      t.join();
  d.threads.clear();
  // Sockets left open hold no feed, nor a feed a socket.
  if (d.env.feeds)
    d.env.feeds->stop();
  d.probes.reset();
  d.reads.reset(); // waiting searches are dropped: their clients get 500s
                   // that nobody reads, the io threads being gone
}

} // namespace berry::http

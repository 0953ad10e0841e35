#include "http/routes_cluster.hpp"

#include <nlohmann/json.hpp>

#include "cluster/membership_state.hpp"
#include "http/auth.hpp"
#include "http/problem.hpp"

namespace berry::http {

std::string cluster_json(const cluster::cluster_view& v) {
  auto nodes = nlohmann::json::array();
  for (auto& n : v.nodes)
    nodes.push_back({{"name", n.name}, {"http", n.http}, {"ready", n.ready}});
  auto shards = nlohmann::json::array();
  for (auto& s : v.shards)
    shards.push_back({{"id", s.id}, {"owner", s.owner}, {"epoch", s.epoch}});
  return nlohmann::json{{"nodes", nodes}, {"shards", shards}}.dump();
}

void get_cluster(const route_env& env, const request& req, responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return respond(problem_response(who.error(), req.request_id));
  if (!env.ctx.cluster)
    return api_not_found(env, req, std::move(respond));
  auto view = env.ctx.cluster();
  auto res = json_response(cluster_json(*view));
  res.set("Cache-Control", "no-store");
  respond(std::move(res));
}

} // namespace berry::http

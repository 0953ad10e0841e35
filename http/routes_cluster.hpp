#pragma once

// GET /api/v1/cluster (issue 14): the nodes and shard owners of the cluster
// as this node sees them in etcd. Admin only; 404 on a node that is not in
// a cluster.

#include "http/routes.hpp"

namespace berry::cluster {
struct cluster_view;
} // namespace berry::cluster

namespace berry::http {

/// The view as API.md's JSON: {nodes:[{name,http,ready}],
/// shards:[{id,owner,epoch}]}.
std::string cluster_json(const cluster::cluster_view& v);

/// GET /api/v1/cluster (auth, role admin) -> 200 cluster_json.
void get_cluster(const route_env& env, const request& req, responder respond);

} // namespace berry::http

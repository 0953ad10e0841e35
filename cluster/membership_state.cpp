#include "cluster/membership_state.hpp"

#include <nlohmann/json.hpp>
#include <optional>

#include "cluster/placement.hpp"

namespace berry::cluster {

using json = nlohmann::json;

namespace {

std::optional<json> parse_object(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return std::nullopt;
  return j;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

std::string membership_state::node_value() const {
  return json{
      {"http", cfg.http}, {"cluster", cfg.cluster_address}, {"ready", true}}
      .dump();
}

std::string membership_state::shard_value() const {
  return json{{"node", cfg.node_name}}.dump();
}

void membership_state::reset() {
  nodes.clear();
  shards.clear();
}

void membership_state::apply(const std::string& key, const std::string& value,
                             int64_t create_revision, int64_t lease,
                             bool deleted) {
  if (starts_with(key, nodes_prefix())) {
    auto name = key.substr(nodes_prefix().size());
    auto j = deleted ? std::optional<json>{} : parse_object(value);
    if (!j) {
      nodes.erase(name);
      return;
    }
    nodes[name] = {name, j->value("http", ""), j->value("cluster", ""),
                   j->value("ready", false)};
  } else if (starts_with(key, shards_prefix())) {
    auto id = key.substr(shards_prefix().size());
    auto j = deleted ? std::optional<json>{} : parse_object(value);
    if (!j) {
      shards.erase(id);
      return;
    }
    shards[id] = {id, j->value("node", ""), create_revision, lease};
  }
}

std::vector<std::string> membership_state::to_claim() const {
  if (!nodes.count(cfg.node_name))
    return {};
  std::vector<std::string> live;
  for (auto& [name, n] : nodes)
    live.push_back(name);
  std::map<std::string, std::string> owners;
  for (auto& [id, s] : shards)
    owners[id] = s.owner;
  std::vector<std::string> out;
  for (auto& id : shards_to_claim(cfg.node_name, live, cfg.shards, owners))
    if (!claiming.count(id))
      out.push_back(id);
  return out;
}

std::vector<std::string> membership_state::owned() const {
  std::vector<std::string> out;
  for (auto& [id, s] : shards)
    if (s.owner == cfg.node_name && s.lease == lease && lease != 0)
      out.push_back(id);
  return out;
}

void membership_state::drop_owned() {
  for (auto& id : owned())
    shards.erase(id);
}

std::map<std::string, int64_t> cluster_view::mine() const {
  std::map<std::string, int64_t> out;
  for (auto& s : shards)
    if (lease != 0 && s.owner == self && s.lease == lease)
      out[s.id] = s.epoch;
  return out;
}

cluster_view membership_state::view() const {
  cluster_view v;
  v.self = cfg.node_name;
  v.lease = lease;
  for (auto& [name, n] : nodes)
    v.nodes.push_back(n);
  for (auto& [id, s] : shards)
    v.shards.push_back(s);
  return v;
}

} // namespace berry::cluster

#include "config/cluster_options.hpp"

#include <cctype>
#include <stdexcept>

#include "config/config.hpp"

namespace berry {

namespace {

/// A name for etcd keys and logs: letters, digits, '.', '_', '-'.
bool plain_name(const std::string& s) {
  if (s.empty() || s.size() > 64)
    return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-')
      return false;
  return true;
}

std::vector<std::string> split_urls(const std::string& value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    auto url = value.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    if (url.empty() || url.rfind("https://", 0) == 0 ||
        (url.find("://") != std::string::npos && url.rfind("http://", 0) != 0))
      throw std::invalid_argument(
          "--etcd: expected http://host:port[,http://host:port...], got '" +
          value + "'");
    out.push_back(url);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

long long to_number(const std::string& flag, const std::string& value,
                    long long lo, long long hi) {
  size_t used = 0;
  long long x = 0;
  try {
    x = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || x < lo || x > hi)
    throw std::invalid_argument("--" + flag + ": expected an integer in [" +
                                std::to_string(lo) + ", " + std::to_string(hi) +
                                "], got '" + value + "'");
  return x;
}

} // namespace

const std::vector<option_info>& cluster_options() {
  // A function's static, like abuse_options(): config.cpp's table is built
  // from it during static initialisation.
  static const std::vector<option_info> options = {
      {"etcd", "BERRY_ETCD",
       "join a cluster: etcd's client URLs, comma separated "
       "(http://host:port,...); default: a single node"},
      {"node-name", "BERRY_NODE_NAME",
       "this node's name in the cluster (letters, digits, . _ -)"},
      {"cluster-name", "BERRY_CLUSTER_NAME",
       "the cluster's keys live under /berry/NAME/ in etcd (default "
       "default)"},
      {"cluster-host", "BERRY_CLUSTER_HOST",
       "address other nodes reach this one at (default 127.0.0.1)"},
      {"cluster-port", "BERRY_CLUSTER_PORT",
       "port other nodes reach this one at; published in etcd (default 0)"},
      {"lease-ttl-s", "BERRY_LEASE_TTL_S",
       "TTL of the node's etcd lease: how long the shards of a dead node "
       "wait for a new owner (default 3)"},
  };
  return options;
}

bool apply_cluster_option(cluster_config& cfg, const std::string& flag,
                          const std::string& value) {
  if (flag == "etcd") {
    cfg.etcd = value.empty() ? std::vector<std::string>{} : split_urls(value);
  } else if (flag == "node-name" || flag == "cluster-name") {
    if (!plain_name(value))
      throw std::invalid_argument("--" + flag +
                                  ": expected letters, digits, '.', '_' or "
                                  "'-' (at most 64), got '" +
                                  value + "'");
    (flag == "node-name" ? cfg.node_name : cfg.name) = value;
  } else if (flag == "cluster-host") {
    if (value.empty())
      throw std::invalid_argument("--cluster-host: must not be empty");
    cfg.host = value;
  } else if (flag == "cluster-port") {
    cfg.port = static_cast<uint16_t>(to_number(flag, value, 0, 65535));
  } else if (flag == "lease-ttl-s") {
    cfg.lease_ttl_s = to_number(flag, value, 1, 600);
  } else {
    return false;
  }
  return true;
}

void check_cluster_config(const cluster_config& cfg) {
  if (cfg.enabled() && cfg.node_name.empty())
    throw std::invalid_argument("--etcd needs --node-name");
}

} // namespace berry

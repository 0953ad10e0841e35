#include "config/config.hpp"

#include <catch2/catch.hpp>

using berry::load_config;

TEST_CASE("without --etcd a node is on its own, as before") {
  auto cfg = load_config({}, {});
  CHECK_FALSE(cfg.cluster.enabled());
  CHECK(cfg.cluster.lease_ttl_s == 3);
}

TEST_CASE("a node joins a cluster with --etcd and --node-name") {
  auto cfg = load_config({"--etcd", "http://10.0.0.1:2379,10.0.0.2:2379",
                          "--node-name", "n1", "--cluster-host", "10.0.0.5",
                          "--cluster-port", "4101", "--lease-ttl-s", "10"},
                         {});
  CHECK(cfg.cluster.enabled());
  CHECK(cfg.cluster.etcd ==
        std::vector<std::string>{"http://10.0.0.1:2379", "10.0.0.2:2379"});
  CHECK(cfg.cluster.node_name == "n1");
  CHECK(cfg.cluster.host == "10.0.0.5");
  CHECK(cfg.cluster.port == 4101);
  CHECK(cfg.cluster.lease_ttl_s == 10);
  auto env = load_config(
      {}, {{"BERRY_ETCD", "http://127.0.0.1:2379"}, {"BERRY_NODE_NAME", "n2"}});
  CHECK(env.cluster.node_name == "n2");
}

TEST_CASE("the cluster flags refuse what they cannot use") {
  using args = std::vector<std::string>;
  for (auto bad : {args{"--etcd", "http://127.0.0.1:2379"},
                   args{"--etcd", "https://e:2379", "--node-name", "n"},
                   args{"--etcd", "a:1,,b:2", "--node-name", "n"},
                   args{"--node-name", "a/b"}, args{"--lease-ttl-s", "0"},
                   args{"--cluster-port", "70000"}})
    CHECK_THROWS_AS(load_config(bad, {}), std::invalid_argument);
  auto help = berry::serve_help();
  for (auto flag : {"--etcd", "--node-name", "--cluster-host", "--cluster-port",
                    "--lease-ttl-s"})
    CHECK(help.find(flag) != std::string::npos);
}

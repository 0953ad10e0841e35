// A node of its own (real threads, a real port): it starts on an empty data
// directory, and one that cannot bind its port fails to start without
// leaving an actor running (its destructor would wait for it forever).

#include <filesystem>
#include <random>

#include <catch2/catch.hpp>

#include "node/node.hpp"

using namespace berry;

namespace {

/// A fresh data directory, removed at the end of the test.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::random_device rd;
    path = (std::filesystem::temp_directory_path() /
            ("berry-node-" + std::to_string(rd())))
               .string();
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

server_config empty_node(const temp_dir& dir, uint16_t port) {
  server_config cfg;
  cfg.data_dir = dir.path;
  cfg.port = port;
  cfg.seed = false;
  return cfg;
}

} // namespace

TEST_CASE("a node whose port is taken fails to start and leaves nothing "
          "running") {
  temp_dir first_dir, second_dir;
  node first{empty_node(first_dir, 0)};
  auto port = first.start();
  REQUIRE(port != 0);
  CHECK(std::filesystem::exists(first_dir.path + "/berry.db"));
  {
    node second{empty_node(second_dir, port)};
    CHECK_THROWS_WITH(second.start(),
                      Catch::Matchers::Contains("cannot listen"));
  }
  first.stop();
  first.stop();
}

#include <catch2/catch.hpp>
#include <csignal>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cluster_haproxy.hpp"
#include "shop.hpp"
#include "support/etcd_server.hpp"
#include "support/postgres_server.hpp"
#include "ws_client.hpp"

// examples/cluster (issue 14): its script starts etcd, PostgreSQL, three
// nodes and HAProxy, and the URL it prints serves the shop; on Ctrl-C it
// stops all of them. A shopper buys through it and watches the delivery
// through it to the end. Its systemd units pass systemd-analyze verify.

using namespace berry::test;
namespace fs = std::filesystem;

namespace {

const std::string example = std::string{BERRY_SOURCE_DIR} + "/examples/cluster";

bool tools_missing() {
  if (!haproxy_binary().empty() && !postgres_bindir().empty() &&
      !etcd_binary().empty())
    return false;
  WARN("haproxy, etcd or PostgreSQL is not installed: skipped");
  return true;
}

/// What follows `prefix` on the first line of the script's output that
/// starts with it ("" when the output ends first).
std::string line_after(child_process& p, const std::string& prefix) {
  for (;;) {
    auto line = p.read_line(120000);
    if (line.empty())
      return "";
    if (line.rfind(prefix, 0) == 0)
      return line.substr(prefix.size());
  }
}

/// Processes whose command line names `text`.
std::vector<std::string> processes_naming(const std::string& text) {
  std::vector<std::string> found;
  for (auto& entry : fs::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    std::ifstream in(entry.path() / "cmdline");
    std::stringstream s;
    s << in.rdbuf();
    auto cmd = s.str();
    for (auto& c : cmd)
      if (c == '\0')
        c = ' ';
    if (cmd.find(text) != std::string::npos)
      found.push_back(name + ": " + cmd);
  }
  return found;
}

/// The script, stopped with SIGINT (Ctrl-C) at the end even when a check
/// failed.
struct example_run {
  // Deliveries at 600x: a few seconds.
  child_process proc{{example + "/run", "--port", "0", "--lease-ttl-s", "2",
                      "--time-scale", "600", "--berry", BERRY_BINARY}};
  ~example_run() {
    proc.signal(SIGINT);
    proc.wait();
  }
};

} // namespace

TEST_CASE("the cluster example serves the shop through HAProxy and stops "
          "everything it started",
          "[etcd]") {
  if (tools_missing())
    return;
  example_run run;
  auto state = line_after(run.proc, "state: ");
  auto url = line_after(run.proc, "storefront: http://127.0.0.1:");
  REQUIRE(!url.empty());
  REQUIRE(!state.empty());
  auto port = static_cast<uint16_t>(std::stoi(url));

  auto page = get(port, "/");
  CHECK(page.status == 200);
  CHECK(page.header("content-type").find("text/html") == 0);
  auto products = get(port, "/api/v1/products?limit=5");
  REQUIRE(products.status == 200);
  CHECK(!products.json()["items"].empty());

  // The admin's token, from whichever node answered the login, is good on
  // the others (they share the token key): the cluster as each one sees it.
  nlohmann::json login{{"email", "admin@berry.local"},
                       {"password", "berry-cluster-admin"}};
  auto res = request(port, "POST", "/api/v1/auth/login", login.dump(),
                     {{"Content-Type", "application/json"}});
  REQUIRE(res.status == 200);
  std::string token = res.json()["token"];
  for (int i = 0; i < 3; ++i) {
    auto cluster = get(port, "/api/v1/cluster", bearer(token));
    REQUIRE(cluster.status == 200);
    auto body = cluster.json();
    CHECK(body["nodes"].size() == 3);
    for (auto& s : body["shards"])
      CHECK(!s["owner"].get<std::string>().empty());
  }

  // A shopper buys a product in stock through HAProxy, and watches the
  // order through it until delivered: the socket may land on any node.
  auto shopper = register_customer(port, "example-shopper@berry.test");
  std::string product;
  auto listed = products.json();
  for (auto& p : listed["items"])
    if (p["available"].get<int64_t>() > 0) {
      product = p["id"];
      break;
    }
  REQUIRE(!product.empty());
  auto bought = checkout(port, shopper, "example-1",
                         checkout_body({{product, 1}}, "tok_ok"));
  REQUIRE(bought.status == 201);
  CHECK(bought.json()["status"] == "paid");
  std::string id = bought.json()["id"];
  ws_client ws{{port, "/api/v1/orders/" + id + "/track", bearer(shopper)}};
  REQUIRE(ws.status() == 101);
  std::vector<std::string> statuses;
  while (auto f = ws.read(60000)) {
    auto frame = nlohmann::json::parse(*f);
    if (frame["type"] == "snapshot")
      statuses.push_back(frame["order"]["status"]);
    else if (frame["type"] == "status")
      statuses.push_back(frame["status"]);
  }
  INFO("statuses seen: " << nlohmann::json(statuses).dump());
  REQUIRE(!statuses.empty());
  CHECK(statuses.back() == "delivered");
  CHECK(ws.close_code() == 1000);
  auto after = get(port, "/api/v1/orders/" + id, bearer(shopper));
  CHECK(after.json()["status"] == "delivered");

  run.proc.signal(SIGINT);
  auto rest = run.proc.read_all(60000);
  CHECK(run.proc.wait() == 130);
  CHECK(rest.find("stopped") != std::string::npos);
  CHECK(processes_naming(state).empty());
  CHECK(!fs::exists(state));
}

TEST_CASE("the cluster example's systemd units pass systemd-analyze verify",
          "[etcd]") {
  if (::access("/usr/bin/systemd-analyze", X_OK) != 0) {
    WARN("systemd-analyze is not installed: skipped");
    return;
  }
  temp_dir dir;
  // ExecStart must name a program that exists: the one just built.
  std::ifstream in(example + "/systemd/berry@.service");
  std::stringstream unit;
  unit << in.rdbuf();
  auto text = unit.str();
  const std::string installed = "/usr/local/bin/berry";
  auto at = text.find("ExecStart=" + installed);
  REQUIRE(at != std::string::npos);
  text.replace(at + 10, installed.size(), BERRY_BINARY);
  std::ofstream(dir.path + "/berry@.service") << text;
  std::string cmd = "cd " + dir.path +
                    " && /usr/bin/systemd-analyze verify berry@n1.service "
                    "2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  int rc = ::pclose(p);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.empty()); // an unknown key or a bad value is only a warning
}

// Accounts under abuse, over real sockets against the real binary (issue
// 11): emails and passwords checked before they cost anything, failed
// logins limited per client address and account, the limit holding under a
// burst of parallel guesses, and hashing dropped for clients that left.

#include <catch2/catch.hpp>

#include <future>
#include <memory>
#include <vector>

#include "auth_client.hpp"

using namespace berry::test;

TEST_CASE("a login with a 62 KB email is refused before it is counted") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  REQUIRE(sign_up(port, "anna@example.ru", "password-123").status == 201);
  auto huge = std::string(62 * 1024, 'a') + "@example.ru";
  for (int i = 0; i < 6; ++i)
    check_problem(log_in(port, huge, "wrong-guess"), 422, "/validation");
  check_problem(log_in(port, "not an email", "wrong-guess"), 422,
                "/validation");
  check_problem(log_in(port, "anna@example.ru", std::string(1025, 'x')), 422,
                "/validation");
  // Nothing of it counted against the account.
  CHECK(log_in(port, "anna@example.ru", "password-123").status == 200);
}

TEST_CASE("a password of only whitespace or over 1024 characters is 422") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  check_problem(sign_up(port, "anna@example.ru", "        "), 422,
                "/validation");
  check_problem(sign_up(port, "anna@example.ru", std::string(1025, 'x')), 422,
                "/validation");
  check_problem(sign_up(port, std::string(250, 'a') + "@b.ru", "password-123"),
                422, "/validation");
  // 1024 Cyrillic characters are 2048 bytes, and a password.
  std::string cyrillic;
  for (int i = 0; i < 1024; ++i)
    cyrillic += "ж";
  CHECK(sign_up(port, "anna@example.ru", cyrillic).status == 201);
}

TEST_CASE("a stranger's wrong passwords never lock the owner out") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  REQUIRE(sign_up(port, "admin2@example.ru", "password-123").status == 201);
  for (int i = 0; i < 5; ++i)
    CHECK(
        log_in(port, "admin2@example.ru", "wrong-guess", "127.0.0.2").status ==
        401);
  auto locked = log_in(port, "admin2@example.ru", "wrong-guess", "127.0.0.2");
  check_problem(locked, 429, "/rate-limited");
  CHECK(std::stoi(locked.header("retry-after")) > 0);
  // Even the right password waits from that address, but not from the
  // owner's.
  CHECK(log_in(port, "admin2@example.ru", "password-123", "127.0.0.2").status ==
        429);
  CHECK(log_in(port, "admin2@example.ru", "password-123", "127.0.0.3").status ==
        200);
}

TEST_CASE("twelve parallel wrong logins let at most five be checked") {
  temp_dir dir;
  berry_server server{dir.path};
  auto port = server.port();
  REQUIRE(sign_up(port, "boris@example.ru", "password-123").status == 201);
  std::vector<std::future<int>> guesses;
  for (int i = 0; i < 12; ++i)
    guesses.push_back(std::async(std::launch::async, [port] {
      return log_in(port, "boris@example.ru", "wrong-guess").status;
    }));
  int checked = 0, limited = 0;
  for (auto& g : guesses) {
    auto status = g.get();
    checked += status == 401;
    limited += status == 429;
  }
  CHECK(checked <= 5);
  CHECK(checked + limited == 12);
}

namespace {

/// berry_password_jobs_dropped_total{reason="client_gone"}; -1 when
/// /metrics has no such line.
double dropped_for_gone_clients(uint16_t port) {
  const std::string line =
      "berry_password_jobs_dropped_total{reason=\"client_gone\"} ";
  auto text = get(port, "/metrics").body;
  auto at = text.find(line);
  return at == std::string::npos ? -1
                                 : std::stod(text.substr(at + line.size()));
}

} // namespace

TEST_CASE("logins whose clients hung up are dropped, not hashed") {
  temp_dir dir;
  berry_server server{dir.path, {"--rate-limits", "off"}};
  auto port = server.port();
  REQUIRE(sign_up(port, "anna@example.ru", "password-123").status == 201);
  // More logins than the 2 hashing threads and the 256 places of their
  // queue; every client hangs up without waiting for its answer.
  constexpr int abandoned = 300;
  {
    std::vector<std::unique_ptr<http_connection>> clients;
    for (int i = 0; i < abandoned; ++i) {
      nlohmann::json body{
          {"email", "ghost" + std::to_string(i) + "@example.ru"},
          {"password", "wrong-guess"}};
      clients.push_back(std::make_unique<http_connection>(port));
      REQUIRE(clients.back()->send("POST", "/api/v1/auth/login", body.dump(),
                                   {{"Content-Type", "application/json"}}));
    }
  }
  // A client that stays gets in at once: the dead jobs make room in the
  // full queue, where they would have answered 503 for seconds.
  CHECK(log_in(port, "anna@example.ru", "password-123").status == 200);
  // None of them was hashed but the few that a thread took before the
  // server saw their client go (256 hashes keep both threads busy for
  // seconds).
  CHECK(eventually([&] { return dropped_for_gone_clients(port) >= 240; }));
}

TEST_CASE("a short admin password stops the start with a clear error") {
  temp_dir dir;
  child_process proc{
      {BERRY_BINARY, "serve", "--port", "0", "--data", dir.path},
      {"BERRY_ADMIN_EMAIL=root@berry.test", "BERRY_ADMIN_PASSWORD=short"}};
  CHECK(proc.wait() != 0);
}

TEST_CASE("the admin's password needs at least 12 characters") {
  temp_dir dir;
  child_process proc{{BERRY_BINARY, "serve", "--port", "0", "--data", dir.path},
                     {"BERRY_ADMIN_EMAIL=root@berry.test",
                      "BERRY_ADMIN_PASSWORD=eleven-char"}};
  auto out = proc.read_all();
  CHECK(proc.wait() != 0);
  CHECK(out.find("listening on") == std::string::npos);
}

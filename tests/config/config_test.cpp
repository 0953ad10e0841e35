#include "config/config.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

using berry::load_config;

namespace {

/// A temporary ini file, removed at the end of the test.
struct temp_ini {
  std::string path;
  explicit temp_ini(const std::string& text) {
    path = (std::filesystem::temp_directory_path() /
            ("berry-test-" + std::to_string(::getpid()) + ".ini"))
               .string();
    std::ofstream(path) << text;
  }
  ~temp_ini() { std::remove(path.c_str()); }
};

} // namespace

TEST_CASE("serve without options uses the documented defaults") {
  auto cfg = load_config({}, {});
  CHECK(cfg.host == "127.0.0.1");
  CHECK(cfg.port == 8080);
  CHECK(cfg.data_dir == "data");
  CHECK(cfg.seed);
  CHECK(cfg.time_scale == 1.0);
  CHECK(cfg.body_limit == 64 * 1024);
  CHECK(cfg.header_limit == 8 * 1024);
  CHECK(cfg.idle_timeout == std::chrono::seconds(30));
}

TEST_CASE("flags of the API contract are understood in both spellings") {
  auto cfg = load_config({"--host", "0.0.0.0", "--port=0", "--data", "/tmp/x",
                          "--no-seed", "--time-scale", "60"},
                         {});
  CHECK(cfg.host == "0.0.0.0");
  CHECK(cfg.port == 0);
  CHECK(cfg.data_dir == "/tmp/x");
  CHECK_FALSE(cfg.seed);
  CHECK(cfg.time_scale == 60.0);
}

TEST_CASE("flags override the environment, which overrides the file") {
  temp_ini ini("; Berry\n[berry]\nport = 9001\nhost = \"10.0.0.1\"\n"
               "data = from-file # comment\nlog-level = warn\n");
  std::map<std::string, std::string> env{{"BERRY_CONFIG", ini.path},
                                         {"BERRY_PORT", "9002"},
                                         {"BERRY_DATA", "from-env"}};
  auto from_file_and_env = load_config({}, env);
  CHECK(from_file_and_env.host == "10.0.0.1");
  CHECK(from_file_and_env.port == 9002);
  CHECK(from_file_and_env.data_dir == "from-env");
  CHECK(from_file_and_env.log_level == "warn");
  auto all = load_config({"--port", "9003"}, env);
  CHECK(all.port == 9003);
  CHECK(all.data_dir == "from-env");
}

TEST_CASE("the admin account comes from the environment only") {
  auto cfg = load_config({}, {{"BERRY_ADMIN_EMAIL", "admin@berry.test"},
                              {"BERRY_ADMIN_PASSWORD", "s3cret-pass"}});
  CHECK(cfg.admin_email == "admin@berry.test");
  CHECK(cfg.admin_password == "s3cret-pass");
  CHECK_THROWS_AS(load_config({"--admin-password", "x"}, {}),
                  std::invalid_argument);
}

TEST_CASE("reservations are held 15 minutes unless configured otherwise") {
  CHECK(load_config({}, {}).reservation_ttl == std::chrono::minutes(15));
  auto env = load_config({}, {{"BERRY_RESERVATION_TTL_MS", "60000"}});
  CHECK(env.reservation_ttl == std::chrono::seconds(60));
  auto flag = load_config({"--reservation-ttl-ms=5000"},
                          {{"BERRY_RESERVATION_TTL_MS", "60000"}});
  CHECK(flag.reservation_ttl == std::chrono::seconds(5));
  CHECK_THROWS_AS(load_config({"--reservation-ttl-ms", "-1"}, {}),
                  std::invalid_argument);
}

TEST_CASE("a payment answer may take 5 s unless configured otherwise") {
  CHECK(load_config({}, {}).payment_timeout == std::chrono::seconds(5));
  auto env = load_config({}, {{"BERRY_PAYMENT_TIMEOUT_MS", "3000"}});
  CHECK(env.payment_timeout == std::chrono::seconds(3));
  auto flag = load_config({"--payment-timeout-ms=2500"},
                          {{"BERRY_PAYMENT_TIMEOUT_MS", "3000"}});
  CHECK(flag.payment_timeout == std::chrono::milliseconds(2500));
  CHECK_THROWS_AS(load_config({"--payment-timeout-ms", "0"}, {}),
                  std::invalid_argument);
}

TEST_CASE("the built-in provider answers in 20 ms unless configured "
          "otherwise, 0 included") {
  CHECK(load_config({}, {}).payment_latency == std::chrono::milliseconds(20));
  auto env = load_config({}, {{"BERRY_PAYMENT_LATENCY_MS", "5"}});
  CHECK(env.payment_latency == std::chrono::milliseconds(5));
  auto flag = load_config({"--payment-latency-ms", "0"},
                          {{"BERRY_PAYMENT_LATENCY_MS", "5"}});
  CHECK(flag.payment_latency == std::chrono::milliseconds(0));
  CHECK_THROWS_AS(load_config({"--payment-latency-ms", "-1"}, {}),
                  std::invalid_argument);
}

TEST_CASE("tracking sockets idle 5 minutes (Beast's suggestion) unless "
          "configured otherwise") {
  CHECK(load_config({}, {}).ws_idle_timeout == std::chrono::minutes(5));
  auto env = load_config({}, {{"BERRY_WS_IDLE_TIMEOUT_MS", "60000"}});
  CHECK(env.ws_idle_timeout == std::chrono::seconds(60));
  auto flag = load_config({"--ws-idle-timeout-ms=400"}, {});
  CHECK(flag.ws_idle_timeout == std::chrono::milliseconds(400));
  CHECK_THROWS_AS(load_config({"--ws-idle-timeout-ms", "50"}, {}),
                  std::invalid_argument);
}

TEST_CASE("bad values are refused with a message naming the option") {
  auto message_of = [](std::vector<std::string> args) {
    try {
      load_config(args, {});
    } catch (const std::invalid_argument& e) {
      return std::string{e.what()};
    }
    return std::string{"accepted"};
  };
  CHECK_THAT(message_of({"--port", "70000"}), Catch::Contains("--port"));
  CHECK_THAT(message_of({"--port", "80x"}), Catch::Contains("--port"));
  CHECK_THAT(message_of({"--time-scale", "0"}),
             Catch::Contains("--time-scale"));
  CHECK_THAT(message_of({"--time-scale", "fast"}),
             Catch::Contains("--time-scale"));
  CHECK_THAT(message_of({"--port"}), Catch::Contains("needs a value"));
  CHECK_THAT(message_of({"--colour", "red"}),
             Catch::Contains("unknown option"));
  CHECK_THAT(message_of({"stray"}), Catch::Contains("unexpected argument"));
  CHECK_THAT(message_of({"--synchronous", "sometimes"}),
             Catch::Contains("--synchronous"));
}

TEST_CASE("the ini parser reads sections, quotes and comments") {
  auto kv = berry::parse_ini("top = 1\n[berry]\n# note\nname = \"a ; b\"\n"
                             "port=8080 ; trailing\n[caf.scheduler]\nx = y\n");
  CHECK(kv.at("top") == "1");
  CHECK(kv.at("berry.name") == "a ; b");
  CHECK(kv.at("berry.port") == "8080");
  CHECK(kv.at("caf.scheduler.x") == "y");
  CHECK_THROWS_AS(berry::parse_ini("[berry\n"), std::invalid_argument);
  CHECK_THROWS_AS(berry::parse_ini("just words\n"), std::invalid_argument);
}

TEST_CASE("help lists every option with its environment variable") {
  auto help = berry::serve_help();
  for (auto& o : berry::serve_options()) {
    CHECK_THAT(help, Catch::Contains("--" + o.flag));
    CHECK_THAT(help, Catch::Contains(o.env));
  }
}

TEST_CASE(
    "the database is a PostgreSQL connection string (--db, BERRY_DB), and "
    "nothing else") {
  CHECK(load_config({}, {}).db.empty());
  auto uri = load_config({"--db", "postgresql://berry@/shop?host=/run/pg"}, {});
  CHECK(uri.db == "postgresql://berry@/shop?host=/run/pg");
  auto env = load_config({}, {{"BERRY_DB", "host=/tmp dbname=shop"}});
  CHECK(env.db == "host=/tmp dbname=shop");
  CHECK_THROWS_AS(load_config({"--db", "shop.db"}, {}), std::invalid_argument);
  CHECK_THROWS_AS(load_config({"--db", "mysql://x"}, {}),
                  std::invalid_argument);
}

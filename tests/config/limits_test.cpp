// The abuse limits' flags: their defaults and how they parse.

#include "config/limits.hpp"

#include <catch2/catch.hpp>

#include "config/config.hpp"

using berry::load_config;
using berry::parse_rate_spec;

TEST_CASE("rate limits are on by default and off with --rate-limits off") {
  CHECK(load_config({}, {}).abuse.rate_limits);
  CHECK_FALSE(load_config({"--rate-limits", "off"}, {}).abuse.rate_limits);
  CHECK_FALSE(
      load_config({}, {{"BERRY_RATE_LIMITS", "off"}}).abuse.rate_limits);
  CHECK_THROWS_AS(load_config({"--rate-limits", "maybe"}, {}),
                  std::invalid_argument);
}

TEST_CASE("a rate is a count per second, minute or hour and a burst") {
  auto s = parse_rate_spec("30/min:10");
  REQUIRE(s);
  CHECK(s->per_second == Approx(0.5));
  CHECK(s->burst == 10);
  CHECK(parse_rate_spec("5/s:50")->per_second == 5);
  CHECK(parse_rate_spec("36/h:1")->per_second == Approx(0.01));
  for (auto bad : {"", "5", "5/s", "5/day:1", "0/s:1", "5/s:0", "x/s:1",
                   "5/s:1x", "5:1/s"})
    CHECK_FALSE(parse_rate_spec(bad));
  CHECK_THROWS_AS(load_config({"--rate-checkout", "lots"}, {}),
                  std::invalid_argument);
}

TEST_CASE("lists of proxies, origins and metrics readers split on commas") {
  auto cfg = load_config({"--trusted-proxies", "10.0.0.0/8, 192.168.1.1",
                          "--allowed-origins", "https://shop.example",
                          "--metrics-allow", "10.1.0.0/16"},
                         {});
  CHECK(cfg.abuse.trusted_proxies ==
        std::vector<std::string>{"10.0.0.0/8", "192.168.1.1"});
  CHECK(cfg.abuse.allowed_origins ==
        std::vector<std::string>{"https://shop.example"});
  CHECK(cfg.abuse.metrics_allow == std::vector<std::string>{"10.1.0.0/16"});
  // The defaults: no proxy trusted, /metrics open on loopback only.
  auto plain = load_config({}, {});
  CHECK(plain.abuse.trusted_proxies.empty());
  CHECK(plain.abuse.metrics_allow ==
        std::vector<std::string>{"127.0.0.0/8", "::1/128"});
}

TEST_CASE("the abuse flags are listed in --help") {
  auto help = berry::serve_help();
  for (auto flag : {"--rate-limits", "--trusted-proxies", "--allowed-origins",
                    "--metrics-allow", "--ws-per-user", "--rate-table-size"})
    CHECK(help.find(flag) != std::string::npos);
}

TEST_CASE("the business limits per user have defaults and flags") {
  auto plain = load_config({}, {});
  CHECK(plain.abuse.max_unpaid_orders == 5);
  CHECK(plain.abuse.max_units_per_product == 99);
  auto cfg = load_config(
      {"--max-unpaid-orders", "2", "--max-units-per-product", "10"}, {});
  CHECK(cfg.abuse.max_unpaid_orders == 2);
  CHECK(cfg.abuse.max_units_per_product == 10);
  // A line may hold 99 by the API; the cap can only be lower.
  CHECK_THROWS_AS(load_config({"--max-units-per-product", "100"}, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(load_config({"--max-unpaid-orders", "0"}, {}),
                  std::invalid_argument);
  auto help = berry::serve_help();
  CHECK(help.find("--max-unpaid-orders") != std::string::npos);
  CHECK(help.find("--max-units-per-product") != std::string::npos);
}

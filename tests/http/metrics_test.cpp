// The Prometheus text the /metrics route serves.

#include <catch2/catch.hpp>

#include "http/metrics.hpp"

using berry::http::metrics;

TEST_CASE("requests are counted by route, method and code") {
  metrics m;
  m.observe_request("/api/v1/products", "GET", 200, 0.002);
  m.observe_request("/api/v1/products", "GET", 200, 0.004);
  auto text = m.render();
  CHECK_THAT(text, Catch::Contains("berry_http_requests_total{"));
  CHECK_THAT(text, Catch::Contains("code=\"200\""));
  CHECK_THAT(text, Catch::Contains("route=\"/api/v1/products\""));
  CHECK_THAT(text,
             Catch::Contains(
                 "{code=\"200\",method=\"GET\",route=\"/api/v1/products\"} 2"));
  CHECK_THAT(text,
             Catch::Contains("berry_http_request_duration_seconds_bucket{"));
  CHECK_THAT(text, Catch::Contains("le=\"0.0005\""));
  CHECK_THAT(text, Catch::Contains("le=\"5\""));
}

TEST_CASE("open connections go up and down") {
  metrics m;
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  CHECK_THAT(m.render(), Catch::Contains("berry_http_connections_open 1"));
}

TEST_CASE("callback values are read at every scrape") {
  metrics m;
  double commits = 3;
  m.add_gauge("berry_journal_commits_total", "commits",
              [&] { return commits; });
  m.add_gauge("berry_catalog_products", "products", [] { return 42.0; });
  CHECK_THAT(m.render(), Catch::Contains("berry_journal_commits_total 3"));
  commits = 7;
  auto text = m.render();
  CHECK_THAT(text, Catch::Contains("berry_journal_commits_total 7"));
  CHECK_THAT(text,
             Catch::Contains("# TYPE berry_journal_commits_total counter"));
  CHECK_THAT(text, Catch::Contains("# TYPE berry_catalog_products gauge"));
  CHECK_THAT(text, Catch::Contains("berry_catalog_products 42"));
}

TEST_CASE("a labelled counter family shows one series per label value") {
  metrics m;
  double gone = 7;
  m.add_counters("berry_password_jobs_dropped_total", "dropped", "reason",
                 {{"client_gone", [&] { return gone; }},
                  {"waited_too_long", [] { return 0.0; }}});
  gone = 9;
  auto text = m.render();
  CHECK_THAT(text, Catch::Contains("# TYPE berry_password_jobs_dropped_total "
                                   "counter"));
  CHECK_THAT(text, Catch::Contains("berry_password_jobs_dropped_total{reason="
                                   "\"client_gone\"} 9"));
  CHECK_THAT(text, Catch::Contains("berry_password_jobs_dropped_total{reason="
                                   "\"waited_too_long\"} 0"));
}

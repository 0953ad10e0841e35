#pragma once

// The edge's Prometheus metrics: request counts and latencies per route,
// open connections, and values other parts of Berry expose through
// callbacks read at scrape time (the journal's commits, ...).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prometheus {
class Registry;
} // namespace prometheus

namespace berry::http {

/// Berry's metrics registry and its text rendering. Thread-safe.
class metrics {
public:
  metrics();
  ~metrics();
  metrics(const metrics&) = delete;
  metrics& operator=(const metrics&) = delete;

  /// Counts one answered request and its latency:
  /// berry_http_requests_total{route,method,code} and
  /// berry_http_request_duration_seconds{route}.
  void observe_request(std::string_view route, std::string_view method,
                       int status, double seconds);

  /// berry_http_connections_open goes up by one.
  void connection_opened();

  /// berry_http_connections_open goes down by one.
  void connection_closed();

  /// berry_tracking_sockets goes up / down by one.
  void tracking_opened();
  void tracking_closed();

  /// berry_tracking_dropped_total: a client that did not read was dropped.
  void tracking_dropped();

  /// berry_tracking_delay_seconds: from an order event to its frame being
  /// handed to the socket.
  void observe_tracking_delay(double seconds);

  /// A gauge whose value `read` gives at every scrape (rendered as a
  /// counter when `name` ends in _total). `read` must be cheap and
  /// thread-safe, and live as long as this object.
  void add_gauge(std::string name, std::string help,
                 std::function<double()> read);

  /// Like add_gauge, for a value that only grows; rendered as a counter.
  void add_counter(std::string name, std::string help,
                   std::function<double()> read);

  /// Values of `label` and how to read each: one series apiece.
  using labelled_reads =
      std::vector<std::pair<std::string, std::function<double()>>>;

  /// Like add_counter, one counter per value of `label`, e.g.
  /// name{reason="client_gone"}.
  void add_counters(std::string name, std::string help, std::string label,
                    labelled_reads series);

  /// The registry, for families other parts want to own.
  prometheus::Registry& registry();

  /// Everything in Prometheus text format 0.0.4.
  std::string render() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace berry::http

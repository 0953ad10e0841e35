#include "http/metrics.hpp"

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace berry::http {

namespace {

/// A family read at scrape time: one series, or one per value of `label`.
struct callback_metric {
  std::string name;
  std::string help;
  prometheus::MetricType type;
  std::string label; ///< empty: one series without labels
  metrics::labelled_reads series;
};

const prometheus::Histogram::BucketBoundaries latency_buckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

/// A request series' labels: route, method, code.
using series_view = std::tuple<std::string_view, std::string_view, int>;

struct series_key {
  std::string route;
  std::string method;
  int code;
  series_view view() const { return {route, method, code}; }
};

/// Orders keys and looks them up by a view, so that finding a series that
/// exists copies no string.
struct series_less {
  using is_transparent = void;
  static series_view v(const series_key& k) { return k.view(); }
  static const series_view& v(const series_view& x) { return x; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return v(a) < v(b);
  }
};

/// The counter and histogram of one series, as the families made them.
struct request_series {
  prometheus::Counter* count;
  prometheus::Histogram* duration;
};

} // namespace

struct metrics::impl {
  std::shared_ptr<prometheus::Registry> registry =
      std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("berry_http_requests_total")
          .Help("HTTP requests answered, by route, method and status code")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("berry_http_request_duration_seconds")
          .Help("Time from a request's arrival to its response, by route")
          .Register(*registry);
  prometheus::Gauge& open = prometheus::BuildGauge()
                                .Name("berry_http_connections_open")
                                .Help("HTTP connections open now")
                                .Register(*registry)
                                .Add({});
  prometheus::Gauge& trackers = prometheus::BuildGauge()
                                    .Name("berry_tracking_sockets")
                                    .Help("Tracking WebSockets open now")
                                    .Register(*registry)
                                    .Add({});
  prometheus::Counter& dropped =
      prometheus::BuildCounter()
          .Name("berry_tracking_dropped_total")
          .Help("Tracking sockets dropped because their client did not read")
          .Register(*registry)
          .Add({});
  prometheus::Histogram& delay =
      prometheus::BuildHistogram()
          .Name("berry_tracking_delay_seconds")
          .Help("Time from an order event to its frame being written to a "
                "tracking socket")
          .Register(*registry)
          .Add({}, latency_buckets);
  mutable std::mutex mtx;
  std::vector<callback_metric> callbacks;
  /// The series requests have used. A family's Add builds its labels and
  /// a new metric before it finds the one it has (a histogram's buckets
  /// each time): once per series, not per request.
  std::mutex series_mtx;
  std::map<series_key, request_series, series_less> series;

  request_series& series_of(std::string_view route, std::string_view method,
                            int status) {
    auto view = series_view{route, method, status};
    auto it = series.find(view);
    if (it != series.end())
      return it->second;
    std::string r{route};
    auto& count = requests.Add({{"route", r},
                                {"method", std::string{method}},
                                {"code", std::to_string(status)}});
    auto& duration = durations.Add({{"route", r}}, latency_buckets);
    return series
        .emplace(series_key{r, std::string{method}, status},
                 request_series{&count, &duration})
        .first->second;
  }
};

metrics::metrics() : impl_(std::make_unique<impl>()) {}

metrics::~metrics() = default;

void metrics::observe_request(std::string_view route, std::string_view method,
                              int status, double seconds) {
  request_series s;
  {
    std::lock_guard<std::mutex> guard{impl_->series_mtx};
    s = impl_->series_of(route, method, status);
  }
  s.count->Increment();
  s.duration->Observe(seconds);
}

void metrics::connection_opened() {
  impl_->open.Increment();
}

void metrics::connection_closed() {
  impl_->open.Decrement();
}

void metrics::tracking_opened() {
  impl_->trackers.Increment();
}

void metrics::tracking_closed() {
  impl_->trackers.Decrement();
}

void metrics::tracking_dropped() {
  impl_->dropped.Increment();
}

void metrics::observe_tracking_delay(double seconds) {
  impl_->delay.Observe(seconds);
}

void metrics::add_gauge(std::string name, std::string help,
                        std::function<double()> read) {
  // By Prometheus convention a *_total name is a counter.
  auto ends_total =
      name.size() > 6 && name.compare(name.size() - 6, 6, "_total") == 0;
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->callbacks.push_back({std::move(name),
                              std::move(help),
                              ends_total ? prometheus::MetricType::Counter
                                         : prometheus::MetricType::Gauge,
                              {},
                              {{{}, std::move(read)}}});
}

void metrics::add_counter(std::string name, std::string help,
                          std::function<double()> read) {
  add_counters(std::move(name), std::move(help), {}, {{{}, std::move(read)}});
}

void metrics::add_counters(std::string name, std::string help,
                           std::string label, labelled_reads series) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  impl_->callbacks.push_back({std::move(name), std::move(help),
                              prometheus::MetricType::Counter, std::move(label),
                              std::move(series)});
}

prometheus::Registry& metrics::registry() {
  return *impl_->registry;
}

std::string metrics::render() const {
  auto families = impl_->registry->Collect();
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    for (auto& cb : impl_->callbacks) {
      prometheus::MetricFamily f;
      f.name = cb.name;
      f.help = cb.help;
      f.type = cb.type;
      for (auto& [value, read] : cb.series) {
        prometheus::ClientMetric m;
        if (!cb.label.empty())
          m.label.push_back({cb.label, value});
        if (cb.type == prometheus::MetricType::Counter)
          m.counter.value = read();
        else
          m.gauge.value = read();
        f.metric.push_back(std::move(m));
      }
      families.push_back(std::move(f));
    }
  }
  return prometheus::TextSerializer{}.Serialize(families);
}

} // namespace berry::http

#pragma once

// Waits, in a test's own thread, for an etcd_client callback: the client
// answers on its own thread, so the test hands it a promise.

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "cluster/etcd_types.hpp"

namespace berry::test {

/// Starts a call with `start(callback)` and returns its result (throws
/// when no answer came in 10 s).
template <class T, class Start>
cluster::etcd_result<T> await(Start start) {
  auto p = std::make_shared<std::promise<cluster::etcd_result<T>>>();
  auto f = p->get_future();
  start([p](cluster::etcd_result<T> r) { p->set_value(std::move(r)); });
  if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    throw std::runtime_error("etcd did not answer in 10 s");
  return f.get();
}

/// What a watch delivered, gathered under a lock; tests wait on it.
struct watch_log {
  std::mutex m;
  std::condition_variable cv;
  std::vector<cluster::etcd_result<cluster::watch_update>> updates;

  auto callback() {
    return [this](cluster::etcd_result<cluster::watch_update> u) {
      std::lock_guard<std::mutex> lock(m);
      updates.push_back(std::move(u));
      cv.notify_all();
    };
  }

  /// A copy of what came so far.
  std::vector<cluster::etcd_result<cluster::watch_update>> snapshot() {
    std::lock_guard<std::mutex> lock(m);
    return updates;
  }

  /// Waits until `pred(updates)` holds; false after `timeout`.
  template <class Pred>
  bool
  wait(Pred pred,
       std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    std::unique_lock<std::mutex> lock(m);
    return cv.wait_for(lock, timeout, [&] { return pred(updates); });
  }
};

} // namespace berry::test

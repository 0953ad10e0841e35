#pragma once

// A small fixed set of threads taking jobs from a bounded queue: where the
// accounts actor hashes passwords, away from CAF's and Asio's threads and
// from the catalog's search pool.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace berry {

/// True once nobody waits for a job's answer any more (its client has
/// gone); null when that cannot happen.
using cancel_flag = std::shared_ptr<const std::atomic<bool>>;

/// Runs jobs on `threads` threads; at most `capacity` wait for one. Jobs
/// must not throw.
class worker_pool {
public:
  /// `niceness` > 0 runs the threads at that lower priority (Linux), so
  /// that their work yields the CPU to the rest of the server.
  worker_pool(size_t threads, size_t capacity, int niceness = 0);
  /// Drops the jobs still waiting and waits for the running ones (except
  /// its own, when a job ends up destroying the pool: that thread finishes
  /// on its own).
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  /// Queues `job`; false (and `job` dropped) when `capacity` jobs wait.
  /// A full queue first makes room by taking out the waiting jobs whose
  /// `cancelled` is set; those run at once on the calling thread, so each
  /// must see its flag and only answer that it was dropped.
  bool try_post(std::function<void()> job, cancel_flag cancelled = nullptr);
  /// Jobs waiting for a thread now.
  size_t waiting() const;

private:
  /// What the threads share; it outlives the pool while a thread runs.
  struct entry {
    std::function<void()> job;
    cancel_flag cancelled;
  };
  struct queue {
    size_t capacity = 0;
    std::mutex mtx;
    std::condition_variable ready;
    std::deque<entry> jobs;
    bool stopping = false;
  };

  static void work(std::shared_ptr<queue> q, int niceness);

  std::shared_ptr<queue> q_;
  std::vector<std::thread> threads_;
};

} // namespace berry

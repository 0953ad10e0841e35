#include "actors/worker_pool.hpp"

#include <utility>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace berry {

worker_pool::worker_pool(size_t threads, size_t capacity, int niceness)
    : q_(std::make_shared<queue>()) {
  q_->capacity = capacity;
  for (size_t i = 0; i < threads; ++i)
    threads_.emplace_back(work, q_, niceness);
}

worker_pool::~worker_pool() {
  std::deque<entry> dropped;
  {
    std::lock_guard<std::mutex> guard{q_->mtx};
    q_->stopping = true;
    dropped.swap(q_->jobs);
  }
  q_->ready.notify_all();
  // A job may hold the last reference to the pool's owner; then the pool is
  // destroyed on one of its own threads, which cannot join itself.
  for (auto& t : threads_)
    if (t.get_id() == std::this_thread::get_id())
      t.detach();
    else
      t.join();
}

bool worker_pool::try_post(std::function<void()> job, cancel_flag cancelled) {
  std::vector<std::function<void()>> dead;
  bool queued = false;
  {
    std::lock_guard<std::mutex> guard{q_->mtx};
    auto& jobs = q_->jobs;
    if (!q_->stopping && jobs.size() >= q_->capacity) {
      for (auto i = jobs.begin(); i != jobs.end();) {
        if (i->cancelled && i->cancelled->load()) {
          dead.push_back(std::move(i->job));
          i = jobs.erase(i);
        } else {
          ++i;
        }
      }
    }
    queued = !q_->stopping && jobs.size() < q_->capacity;
    if (queued)
      jobs.push_back({std::move(job), std::move(cancelled)});
  }
  if (queued)
    q_->ready.notify_one();
  // Outside the lock: a dropped job answers, and that may post again.
  for (auto& d : dead)
    d();
  return queued;
}

size_t worker_pool::waiting() const {
  std::lock_guard<std::mutex> guard{q_->mtx};
  return q_->jobs.size();
}

void worker_pool::work(std::shared_ptr<queue> q, int niceness) {
  // On Linux a thread's nice value is its own; failing to lower it only
  // loses the courtesy.
  if (niceness > 0)
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)),
                      niceness);
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock{q->mtx};
      q->ready.wait(lock, [&] { return q->stopping || !q->jobs.empty(); });
      if (q->stopping)
        return;
      job = std::move(q->jobs.front().job);
      q->jobs.pop_front();
    }
    job();
  }
}

} // namespace berry

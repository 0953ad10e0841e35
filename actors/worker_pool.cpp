#include "actors/worker_pool.hpp"

#include <utility>

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
  std::deque<std::function<void()>> dropped;
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

bool worker_pool::try_post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> guard{q_->mtx};
    if (q_->stopping || q_->jobs.size() >= q_->capacity)
      return false;
    q_->jobs.push_back(std::move(job));
  }
  q_->ready.notify_one();
  return true;
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
      job = std::move(q->jobs.front());
      q->jobs.pop_front();
    }
    job();
  }
}

} // namespace berry

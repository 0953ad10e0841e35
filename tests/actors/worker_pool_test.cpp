#include "actors/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>

using namespace berry;

TEST_CASE("a worker pool refuses a job once its queue is full") {
  worker_pool pool{1, 2};
  std::promise<void> gate;
  auto open = gate.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  // The one thread blocks in the first job; two more jobs wait; the fourth
  // finds the queue full.
  REQUIRE(pool.try_post([&, open] {
    started.set_value();
    open.wait();
    ++ran;
  }));
  started.get_future().wait();
  CHECK(pool.try_post([&] { ++ran; }));
  CHECK(pool.try_post([&] { ++ran; }));
  CHECK(pool.waiting() == 2);
  CHECK_FALSE(pool.try_post([&] { ++ran; }));
  gate.set_value();
  std::promise<void> last;
  while (!pool.try_post([&] { last.set_value(); })) {
  }
  last.get_future().wait();
  CHECK(ran == 3);
}

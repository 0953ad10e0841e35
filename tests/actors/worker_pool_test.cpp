#include "actors/worker_pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <memory>

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

TEST_CASE("a full queue makes room by dropping the jobs nobody waits for") {
  worker_pool pool{1, 2};
  std::promise<void> gate;
  auto open = gate.get_future().share();
  std::promise<void> started;
  REQUIRE(pool.try_post([&, open] {
    started.set_value();
    open.wait();
  }));
  started.get_future().wait();
  auto gone = std::make_shared<std::atomic<bool>>(false);
  std::atomic<int> dropped{0};
  CHECK(pool.try_post([&] { ++dropped; }, gone));
  CHECK(pool.try_post([&] { ++dropped; }, gone));
  CHECK_FALSE(pool.try_post([] {}));
  CHECK(dropped == 0);
  // Both clients leave: the next job takes a place at once, and the two
  // dropped ones have answered, on this thread, before try_post returns.
  *gone = true;
  std::promise<void> ran;
  CHECK(pool.try_post([&] { ran.set_value(); }));
  CHECK(dropped == 2);
  CHECK(pool.waiting() == 1);
  gate.set_value();
  ran.get_future().wait();
}

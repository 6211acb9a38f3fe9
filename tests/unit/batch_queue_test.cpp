#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "drivers/trace/batch_queue.hpp"

using namespace roadspeed;

TEST_CASE("a batch queue hands every batch over, in order, between two threads", "[trace]") {
  BatchQueue<std::vector<int>> q(2);
  bool all_taken = true;  // Catch2 v2 assertions belong on the main thread
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) all_taken = q.push(std::vector<int>(3, i)) && all_taken;
    q.close();
  });
  int expected = 0;
  while (auto batch = q.pop()) {
    REQUIRE(*batch == std::vector<int>(3, expected));
    ++expected;
  }
  producer.join();
  CHECK(all_taken);
  CHECK(expected == 1000);
}

TEST_CASE("closing a batch queue releases a waiting producer and still drains what is in it", "[trace]") {
  BatchQueue<int> q(1);
  REQUIRE(q.push(1));
  bool refused = false;
  std::thread producer([&] { refused = !q.push(2); });  // waits: the queue is full
  q.close();
  producer.join();
  CHECK(refused);
  CHECK(q.pop() == 1);
  CHECK(!q.pop());
  CHECK(!q.push(3));
}

TEST_CASE("try_pop takes a ready batch without waiting and makes room for the producer", "[trace]") {
  BatchQueue<int> q(1);
  CHECK(!q.try_pop());  // empty: returns at once
  REQUIRE(q.push(1));
  std::thread producer([&] { q.push(2); });  // waits until 1 is taken
  CHECK(q.try_pop() == 1);
  producer.join();
  CHECK(q.try_pop() == 2);
  CHECK(!q.try_pop());
}

TEST_CASE("a batch queue's try_push and try_pop never wait: full, empty and closed say so", "[trace]") {
  BatchQueue<int> q(2);
  CHECK(!q.try_pop());
  CHECK(q.try_push(1));
  CHECK(q.try_push(2));
  CHECK(!q.try_push(3));  // full: refused, not waited for
  CHECK(q.try_pop() == 1);
  CHECK(q.try_push(4));
  q.close();
  CHECK(!q.try_push(5));  // closed
  CHECK(q.try_pop() == 2);
  CHECK(q.pop() == 4);
  CHECK(!q.try_pop());
}

TEST_CASE("a batch queue that wakes each side with slack still hands every batch over, in order", "[trace]") {
  // Every capacity and consumer wake-up point, with a fast and a slow side
  // in turn: no batch lost or reordered, and no side left waiting.
  for (std::size_t capacity = 1; capacity <= 5; ++capacity) {
    for (std::size_t wake_at = 1; wake_at <= capacity + 1; ++wake_at) {
      for (bool slow_producer : {false, true}) {
        BatchQueue<int> q(capacity, wake_at);
        std::thread producer([&] {
          for (int i = 0; i < 500; ++i) {
            q.push(i);
            if (slow_producer && i % 50 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
          }
          q.close();
        });
        int expected = 0;
        bool in_order = true;
        while (auto batch = q.pop()) {
          in_order = in_order && *batch == expected;
          ++expected;
          if (!slow_producer && expected % 50 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        producer.join();
        CAPTURE(capacity, wake_at, slow_producer);
        CHECK(in_order);
        CHECK(expected == 500);
      }
    }
  }
}

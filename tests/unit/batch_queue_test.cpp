#include <catch2/catch.hpp>

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

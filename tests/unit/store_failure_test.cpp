// Storage under failure: a full disk, a queue overflow, a corrupt file, a
// process killed mid-import.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "daemon/store/backup.hpp"
#include "daemon/store/db_check.hpp"
#include "daemon/store/queued_writer.hpp"
#include "daemon/store/store.hpp"
#include "daemon/store/store_reader.hpp"
#include "faulty_vfs.hpp"
#include "store_test_support.hpp"

#include <sqlite3.h>

namespace roadspeed::store {
namespace {

constexpr std::int64_t t0_ns = 1764158400'000000000;

struct LogLines {
  std::vector<std::string> lines;
  LogFn fn() {
    return [this](std::string_view l) { lines.emplace_back(l); };
  }
};

// Caps the database at its current size plus a few pages: the next large
// commit fails with SQLITE_FULL, as on a full disk.
void fill_disk(Store& store) {
  const auto pages = store.db().query_int("PRAGMA page_count");
  store.db().exec("PRAGMA max_page_count = " + std::to_string(pages + 2));
}

void free_disk(Store& store) { store.db().exec("PRAGMA max_page_count = 1073741823"); }

TEST_CASE("a full disk keeps the vehicles queued and stores them all once space returns", "[store]") {
  const auto path = test::scratch_dir("disk-full") / "db.sqlite";
  Store store(path, test::store_test_site(), t0_ns);
  LogLines log;
  QueuedWriter writer(store, log.fn(), 10'000);
  const auto vehicles = test::simulated_vehicles(5, t0_ns, 3000, 2.0);
  for (std::size_t i = 0; i < 100; ++i) writer.add(vehicles[i]);
  REQUIRE(writer.flush(t0_ns));

  fill_disk(store);
  for (std::size_t i = 100; i < vehicles.size(); ++i) writer.add(vehicles[i]);
  CHECK_FALSE(writer.flush(t0_ns));
  CHECK_FALSE(writer.flush(t0_ns));  // retried, still full
  CHECK(writer.queued_vehicles() == 2900);
  REQUIRE(log.lines.size() == 1);  // one line per outage, not per retry
  CHECK_THAT(log.lines[0], Catch::Contains("disk is full"));
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 100);
  CHECK(store.db().query_text("PRAGMA quick_check") == "ok");

  free_disk(store);
  CHECK(writer.flush(t0_ns));
  CHECK(writer.queued_vehicles() == 0);
  CHECK(writer.dropped_vehicles() == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 3000);
  CHECK(test::bins_disagreeing_with_vehicles(store.db()) == 0);
  CHECK(store.db().query_int("SELECT count(*) FROM fault_spans") == 0);
}

TEST_CASE("failing writes (I/O error, full disk) from the VFS keep vehicles queued and the file intact", "[store]") {
  test::FaultyVfs vfs("roadspeed-faulty");
  for (const int code : {SQLITE_IOERR_WRITE, SQLITE_FULL}) {
    INFO("write error " << code);
    const auto path = test::scratch_dir("faulty-vfs-" + std::to_string(code)) / "db.sqlite";
    Store store(path, test::store_test_site(), t0_ns, vfs.name());
    LogLines log;
    QueuedWriter writer(store, log.fn(), 10'000);
    const auto vehicles = test::simulated_vehicles(9, t0_ns, 1000, 2.0);
    for (std::size_t i = 0; i < 300; ++i) writer.add(vehicles[i]);
    REQUIRE(writer.flush(t0_ns));

    vfs.fail_writes_with(code);
    for (std::size_t i = 300; i < vehicles.size(); ++i) writer.add(vehicles[i]);
    CHECK_FALSE(writer.flush(t0_ns));
    CHECK_FALSE(writer.flush(t0_ns));
    CHECK(vfs.writes_failed() > 0);
    CHECK(writer.queued_vehicles() == 700);
    CHECK(log.lines.size() == 1);

    vfs.fail_writes_with(0);
    CHECK(writer.flush(t0_ns));
    CHECK(writer.queued_vehicles() == 0);
    CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 1000);
    CHECK(store.db().query_text("PRAGMA integrity_check") == "ok");
    CHECK(test::bins_disagreeing_with_vehicles(store.db()) == 0);
  }
}

TEST_CASE("a queue overflow drops the oldest vehicles and records the gap as a fault span", "[store]") {
  const auto path = test::scratch_dir("queue-overflow") / "db.sqlite";
  Store store(path, test::store_test_site(), t0_ns);
  LogLines log;
  QueuedWriter writer(store, log.fn(), 500);
  const auto vehicles = test::simulated_vehicles(6, t0_ns, 800, 2.0);
  fill_disk(store);
  for (const Vehicle& v : vehicles) writer.add(v);
  CHECK(writer.queued_vehicles() == 500);
  CHECK(writer.dropped_vehicles() == 300);
  CHECK_FALSE(writer.flush(t0_ns));

  free_disk(store);
  REQUIRE(writer.flush(t0_ns + 1));
  CHECK(store.db().query_int("SELECT count(*) FROM vehicles") == 500);
  CHECK(store.db().query_int("SELECT min(t_ns) FROM vehicles") == vehicles[300].t_ns);
  auto gap = store.db().prepare("SELECT start_ns, end_ns, reason FROM fault_spans");
  REQUIRE(gap.step());
  CHECK(gap.column_int(0) == vehicles[0].t_ns);
  CHECK(gap.column_int(1) == vehicles[299].t_ns + 1);
  CHECK_THAT(gap.column_text(2), Catch::Contains("300 vehicles not stored"));
  CHECK_FALSE(gap.step());
  CHECK(store.db().query_int("SELECT count(*) FROM health_events WHERE severity = 'error'") == 1);
}

TEST_CASE("the open marker tells an unclean shutdown from a clean one", "[store]") {
  const auto path = test::scratch_dir("marker") / "db.sqlite";
  { OpenMarker clean(path); CHECK_FALSE(clean.previous_run_unclean()); }
  CHECK_FALSE(std::filesystem::exists(OpenMarker::path_for(path)));
  { OpenMarker again(path); CHECK_FALSE(again.previous_run_unclean()); }
  std::ofstream(OpenMarker::path_for(path)) << "left by a killed writer\n";
  OpenMarker after_crash(path);
  CHECK(after_crash.previous_run_unclean());
}

TEST_CASE("a database failing quick_check is moved aside, not deleted, and a fresh one opens", "[store]") {
  const auto path = test::scratch_dir("quick-check") / "db.sqlite";
  {
    Store store(path, test::store_test_site(), t0_ns);
    Batch b;
    b.vehicles = test::simulated_vehicles(7, t0_ns, 3000);
    store.commit(b);
    store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  LogLines log;
  CHECK(check_or_move_aside(path, "x", log.fn()).ok);
  CHECK(log.lines.empty());

  // Scribble over the middle of the file, as a failing SD card might.
  const auto size = std::filesystem::file_size(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    for (int i = 0; i < 8192; ++i) f.put(static_cast<char>(0x5a ^ i));
  }
  const CheckResult r = check_or_move_aside(path, "20251126T120000", log.fn());
  CHECK_FALSE(r.ok);
  REQUIRE(r.moved_to);
  CHECK(std::filesystem::exists(*r.moved_to));
  CHECK(std::filesystem::file_size(*r.moved_to) == size);
  CHECK_FALSE(std::filesystem::exists(path));
  REQUIRE(log.lines.size() == 1);
  CHECK_THAT(log.lines[0], Catch::Contains("failed quick_check") && Catch::Contains("moved aside"));
  Store fresh(path, test::store_test_site(), t0_ns);
  CHECK(fresh.db().query_int("SELECT count(*) FROM vehicles") == 0);
}

TEST_CASE("a backup taken while the writer commits is a consistent copy", "[store]") {
  const auto dir = test::scratch_dir("backup");
  Store store(dir / "db.sqlite", test::store_test_site(), t0_ns);
  const auto vehicles = test::simulated_vehicles(8, t0_ns, 4000);
  Batch b;
  b.vehicles.assign(vehicles.begin(), vehicles.begin() + 2000);
  store.commit(b);
  std::thread writer([&] {
    for (std::size_t i = 2000; i < vehicles.size(); i += 100) {
      Batch more;
      more.vehicles.assign(vehicles.begin() + static_cast<std::ptrdiff_t>(i),
                           vehicles.begin() + static_cast<std::ptrdiff_t>(i + 100));
      store.commit(more);
    }
  });
  backup_database(dir / "db.sqlite", dir / "copy.sqlite");
  writer.join();
  Db copy(dir / "copy.sqlite");
  CHECK(copy.query_text("PRAGMA integrity_check") == "ok");
  const auto n = copy.query_int("SELECT count(*) FROM vehicles");
  CHECK(n >= 2000);
  CHECK(n <= 4000);
  CHECK(n % 100 == 0);  // whole commits only
  CHECK(test::bins_disagreeing_with_vehicles(copy) == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "copy.sqlite.partial"));
}

// The child: commits batches forever, reporting each committed total on `fd`.
[[noreturn]] void ingest_until_killed(const std::filesystem::path& path, std::uint32_t seed, int fd) {
  Store store(path, test::store_test_site(), t0_ns);
  const std::int64_t start_ns = store.db().query_int("SELECT coalesce(max(t_ns), 0) FROM vehicles");
  std::int64_t committed = store.db().query_int("SELECT count(*) FROM vehicles");
  const auto vehicles = test::simulated_vehicles(seed, std::max(start_ns, t0_ns), 4'000, 2.0);
  for (std::size_t i = 0;; i += 200) {
    Batch b;
    b.vehicles.assign(vehicles.begin() + static_cast<std::ptrdiff_t>(i % 3'800),
                      vehicles.begin() + static_cast<std::ptrdiff_t>(i % 3'800 + 200));
    if (i % 3'800 + 200 > 3'800) break;
    store.commit(b);
    committed += 200;
    if (::write(fd, &committed, sizeof committed) != sizeof committed) break;
  }
  ::_exit(0);
}

TEST_CASE("killing the writer at 50 random moments never loses a committed vehicle nor corrupts the file",
          "[store]") {
  const auto path = test::scratch_dir("power-cut") / "db.sqlite";
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> delay_ms(0, 100);
  Store(path, test::store_test_site(), t0_ns);  // the schema exists before the first kill
  std::int64_t last_stored = 0;
  for (int round = 0; round < 50; ++round) {
    INFO("round " << round);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      ingest_until_killed(path, static_cast<std::uint32_t>(round), fds[1]);
    }
    ::close(fds[1]);
    // The kill falls at a random moment after the child's first commit, so
    // that on a loaded machine, too, every round interrupts real commits.
    std::int64_t reported = last_stored, value = 0;
    if (::read(fds[0], &value, sizeof value) == sizeof value) reported = value;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    while (::read(fds[0], &value, sizeof value) == sizeof value) reported = value;
    ::close(fds[0]);

    Db db(path);
    REQUIRE(db.query_text("PRAGMA integrity_check") == "ok");
    const auto stored = db.query_int("SELECT count(*) FROM vehicles");
    CHECK(stored >= reported);          // nothing committed is lost
    CHECK(stored <= reported + 200);    // at most the batch in flight
    CHECK(stored % 200 == 0);           // and never part of a batch
    CHECK(test::bins_disagreeing_with_vehicles(db) == 0);
    CHECK(stored > last_stored);  // the round committed something before its kill
    last_stored = stored;
  }
}

}  // namespace
}  // namespace roadspeed::store

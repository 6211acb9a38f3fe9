#!/usr/bin/env bash
# Power loss at the command line: `roadspeed import` of a trace, committing
# every 20 vehicles and saying so, is killed with SIGKILL at 50 random
# moments. After each kill the database passes `PRAGMA integrity_check`,
# holds every vehicle import reported committed and at most one batch more,
# never part of a batch, and every bin equals the sums of its vehicles.
#
#   import_killed.sh ROADSPEED DATA_DIR WORK_DIR
set -euo pipefail
roadspeed="$1"
data="$2"
work="$3/import_killed"
rm -rf "$work"
mkdir -p "$work"
batch=20
fail() { echo "import_killed: round $round: $*" >&2; exit 1; }

# The bins that differ from SQL sums over the vehicles, both ways.
disagreeing_bins() {
  sqlite3 "$1" "WITH v AS (SELECT (t_ns / 1000000000) / 900 * 900 AS b, detector_row, direction, class,
      count(*) AS n, count(speed_kmh) AS ns, coalesce(sum(speed_kmh), 0) AS s FROM vehicles GROUP BY 1, 2, 3, 4)
    SELECT (SELECT count(*) FROM bins x LEFT JOIN v ON v.b = x.bin_start_s AND v.detector_row = x.detector_row
              AND v.direction = x.direction AND v.class = x.class
            WHERE v.n IS NULL OR v.n != x.vehicles OR v.ns != x.with_speed OR abs(v.s - x.sum_kmh) > 1e-6)
         + (SELECT count(*) FROM v LEFT JOIN bins x ON v.b = x.bin_start_s AND v.detector_row = x.detector_row
              AND v.direction = x.direction AND v.class = x.class WHERE x.vehicles IS NULL)"
}

total=$(($(wc -l < "$data/villa-hour.vehicles.csv") - 1))
import_args=(--site "$data/sites/villa-street.toml" --trace "$data/villa-hour.trace.csv" --commit-every "$batch" --progress)

# How long a whole import takes here: the kills fall within that time.
t0=$(date +%s%N)
"$roadspeed" import --db "$work/whole.sqlite" "${import_args[@]}" >/dev/null
whole_us=$((($(date +%s%N) - t0) / 1000))
interrupted=0
for round in $(seq 1 50); do
  db="$work/round.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
  "$roadspeed" import --db "$db" "${import_args[@]}" >"$work/progress.txt" 2>/dev/null &
  pid=$!
  delay_us=$(((RANDOM * 32768 + RANDOM) % whole_us))
  sleep "$((delay_us / 1000000)).$(printf '%06d' $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  reported=$({ grep -o '^committed [0-9]*' "$work/progress.txt" || true; } | tail -1 | awk '{ print $2 }')
  reported=${reported:-0}
  [[ -f "$db" ]] || { ((reported == 0)) || fail "no database, but $reported reported"; continue; }
  tables=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'vehicles'")
  ((tables == 1)) || { ((reported == 0)) || fail "no schema, but $reported reported"; continue; }
  [[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" == ok ]] || fail "integrity_check failed"
  stored=$(sqlite3 "$db" "SELECT count(*) FROM vehicles")
  ((stored >= reported)) || fail "$reported reported committed, $stored stored"
  ((stored <= reported + batch)) || fail "$stored stored, more than one batch past $reported"
  ((stored % batch == 0 || stored == total)) || fail "$stored stored: part of a batch"
  (($(disagreeing_bins "$db") == 0)) || fail "bins disagree with vehicles"
  if ((stored < total)); then interrupted=$((interrupted + 1)); fi
done
((interrupted > 0)) || { echo "import_killed: no kill landed mid-import" >&2; exit 1; }
echo "import_killed: 50 kills, $interrupted mid-import, database consistent after each"

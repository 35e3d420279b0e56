#!/usr/bin/env bash
# The monitoring board page at scale (issue 18, item 3): the release server on the board
# benchmark's database (1,000 directives × 150 agencies × 5 tasks: 750,000 assignments, built by
# `cargo bench -p danvan-store --bench board`), loaded by wrk from a second process on loopback:
# the whole /board page as the monitor (the counts per agency and per directive for the whole
# province, the overdue list, and a quarter's board) beside /healthz in the same run.
#
# The benchmark's database must hold its monitor `sonoivu` (created with the database since the
# board's counts were kept; an older database is rebuilt by removing it, or its schema).
# On SQLite the server runs on a copy of the database file. On PostgreSQL (the second argument
# `postgres`) it runs on the benchmark's schema `bench_board_1000` itself; the server's daily
# reminder job then writes its reminders there once, which the board does not read.
# The server runs on today's date, so every open assignment of 2022 is overdue; the script waits
# for that day's reminder job to finish before it measures.
#
# Usage: bench/board-page.sh [sqlite|postgres, default sqlite] [seconds, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
duration=${2:-10}
connections=${3:-16}
port=18473
base=${DANVAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
db=target/tmp/board-bench-1000.db
if [ "$backend" = sqlite ] && [ ! -f "$db" ]; then
  DANVAN_BENCH_SQLITE_ONLY=1 cargo bench -p danvan-store --bench board
fi
if [ "$backend" = postgres ] && \
  [ "$(psql -qtA "$base" -c "select count(*) from information_schema.tables where table_schema = 'bench_board_1000'")" = 0 ]; then
  cargo bench -p danvan-store --bench board
fi
cargo build --release -p danvan --quiet

data=$(mktemp -d)
if [ "$backend" = sqlite ]; then
  # The benchmark may leave its last writes (the monitor's account among them) in the
  # write-ahead log: fold it into the file before copying the file alone.
  sqlite3 "$db" "pragma wal_checkpoint(truncate);" >/dev/null
  cp "$db" "$data/board.db"
  url="sqlite://$data/board.db"
  job_done() { sqlite3 "$data/board.db" "select count(*) from job_run where day = '$(date -u +%F)' and finished_at is not null"; }
else
  url="$base?options=-c%20search_path%3Dbench_board_1000"
  job_done() { psql -qtA "$base" -c "select count(*) from bench_board_1000.job_run where day = '$(date -u +%F)' and finished_at is not null"; }
fi
./target/release/danvan serve --database-url "$url" --addr "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 1 600); do [ "$(job_done)" -gt 0 ] && break; sleep 1; done

jar="$data/cookies"
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -fsS -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf=$csrf" --data-urlencode "username=sonoivu" --data-urlencode "password=demo" \
  "http://127.0.0.1:$port/login"
session=$(awk '$6 == "danvan_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "login failed"; exit 1; }

run() {
  local name=$1 path=$2 out one
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  [ "$status" = 200 ] || { echo "| $name | $path answered $status |"; return; }
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$one")" "$(awk '$1 == "99%" { print $2 }' <<<"$one")"
}

echo "$backend, wrk -t2 -c$connections -d${duration}s and -t1 -c1, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "| page | req/s | p50 | p99 | p50, one connection | p99, one connection |"
echo "|---|---|---|---|---|---|"
run "GET /healthz (ceiling)" /healthz
run "board, whole province" /board
run "board, one quarter" "/board?from=01%2F07%2F2022&to=30%2F09%2F2022"
run "board, one group" "/board?group=1"

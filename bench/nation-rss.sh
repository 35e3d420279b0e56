#!/usr/bin/env bash
# The server's memory with a nation's data under load (issue 18, item 4): the release server on
# the nation benchmark's PostgreSQL schema (`bench_nation`, built by
# `cargo bench -p danvan-web --bench nation`: 4,035 agencies, about 2 million assignments,
# 34 cycles and 34 report rounds), signed in as the monitor, loaded by wrk with `connections`
# connections on each of the monitor's heaviest pages in turn (home with the dashboard and work
# queue, the board, the agencies, the directives, the evaluations, the reports). Prints each
# page's req/s and p99 under that load and one connection's p99, then the server's resident
# memory: after start, and the most it reached (VmHWM).
#
# The server runs on today's date; its daily reminder job writes that day's reminders into the
# schema once (the script waits for it), which none of the measured pages read.
#
# Usage: bench/nation-rss.sh [seconds per page, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-16}
port=18476
base=${DANVAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
url="$base?options=-c%20search_path%3Dbench_nation"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ "$(psql -qtA "$base" -c "select count(*) from information_schema.tables where table_schema = 'bench_nation'")" -gt 0 ] \
  || cargo bench -p danvan-web --bench nation
cargo build --release -p danvan --quiet

data=$(mktemp -d)
./target/release/danvan serve --database-url "$url" --addr "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 1 900); do
  [ "$(psql -qtA "$base" -c "select count(*) from bench_nation.job_run where day = '$(date -u +%F)' and finished_at is not null")" -gt 0 ] && break
  sleep 1
done
rss() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$server/status"; }
started_rss=$(rss VmRSS)

jar="$data/cookies"
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -fsS -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf=$csrf" --data-urlencode "username=sonoivu" --data-urlencode "password=demo" \
  "http://127.0.0.1:$port/login"
session=$(awk '$6 == "danvan_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "login failed"; exit 1; }

run() {
  local name=$1 path=$2 out one status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  [ "$status" = 200 ] || { echo "| $name | $path answered $status |"; return; }
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  one=$(wrk -t1 -c1 -d"${duration}s" --latency -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path")
  printf '| %s | %s | %s | %s | %s MB |\n' "$name" \
    "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$one")" "$(( $(rss VmHWM) / 1024 ))"
}

echo "PostgreSQL (bench_nation), wrk -t2 -c$connections -d${duration}s and -t1 -c1, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "| page | req/s | p99 | p99, one connection | server's peak RSS so far |"
echo "|---|---|---|---|---|"
run "GET /healthz (ceiling)" /healthz
run "monitor: home (dashboard and work queue)" /
run "monitor: board, the nation" /board
run "monitor: agencies" /units
run "monitor: directives" /directives
run "monitor: evaluations" /evaluations
run "monitor: reports" /reports
echo
echo "Server RSS after start (reminder job done): $(( started_rss / 1024 )) MB; peak (VmHWM): $(( $(rss VmHWM) / 1024 )) MB; now: $(( $(rss VmRSS) / 1024 )) MB"

#!/usr/bin/env bash
# What the metrics layer costs (issue 19): the release binary of this checkout against the one
# built from BASE (a commit before the layer), each serving the demo in turn, measured by wrk from
# a second process on loopback: /healthz (the ceiling, where a fixed cost per request shows most)
# and the monitor's directives list. The two binaries alternate ROUNDS times so that drift of the
# machine falls on both; the median of each is printed with the difference.
#
# Usage: bench/metrics-cost.sh [BASE, default a9c5cc5] [ROUNDS, default 3] [seconds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-a9c5cc5}
rounds=${2:-3}
duration=${3:-5}
port=18472
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build --release -p danvan --quiet
head_binary="${CARGO_TARGET_DIR:-$PWD/target}/release/danvan"
base_target="$PWD/target/bench-base"
worktree=$(mktemp -d)
git worktree add --detach "$worktree" "$base" >/dev/null 2>&1
cleanup() { git worktree remove --force "$worktree" >/dev/null 2>&1 || true; }
trap cleanup EXIT
(cd "$worktree" && CARGO_TARGET_DIR="$base_target" cargo build --release -p danvan --quiet)

# Serves the demo with binary $1, prints "healthz_rps directives_rps".
measure() {
  local binary=$1 data server jar csrf session healthz directives
  data=$(mktemp -d)
  "$binary" demo --data "$data" --addr "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  jar="$data/cookies"
  csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
    --data-urlencode "username=sonoivu" --data-urlencode "password=demo" "http://127.0.0.1:$port/login"
  session=$(awk '$6 == "danvan_session" { print $7 }' "$jar")
  healthz=$(wrk -t2 -c16 -d"${duration}s" "http://127.0.0.1:$port/healthz" | awk '/Requests\/sec/ { print $2 }')
  directives=$(wrk -t2 -c16 -d"${duration}s" -H "Cookie: danvan_session=$session" \
    "http://127.0.0.1:$port/directives" | awk '/Requests\/sec/ { print $2 }')
  kill "$server"
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
  echo "$healthz $directives"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results=$(mktemp)
for round in $(seq 1 "$rounds"); do
  echo "base $(measure "$base_target/release/danvan")" >>"$results"
  echo "head $(measure "$head_binary")" >>"$results"
  echo "round $round done" >&2
done
echo "wrk -t2 -c16 -d${duration}s, $rounds rounds alternating, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "| binary | /healthz req/s (median) | /directives req/s (median) | runs |"
echo "|---|---|---|---|"
for which in base head; do
  h=$(awk -v w=$which '$1 == w { print $2 }' "$results" | median)
  d=$(awk -v w=$which '$1 == w { print $3 }' "$results" | median)
  runs=$(awk -v w=$which '$1 == w { printf "%s/%s ", $2, $3 }' "$results")
  label=$([ $which = base ] && echo "$base (no metrics layer)" || echo "this checkout")
  echo "| $label | $h | $d | $runs|"
done
hb=$(awk '$1 == "base" { print $2 }' "$results" | median)
hh=$(awk '$1 == "head" { print $2 }' "$results" | median)
awk -v b="$hb" -v h="$hh" 'BEGIN { printf "/healthz: this checkout at %.1f %% of the base (cost %.1f %%; target: under 5 %%)\n", 100 * h / b, 100 * (b - h) / b }'
rm -f "$results"

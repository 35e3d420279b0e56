#!/usr/bin/env bash
# HTTP load benchmark: the release binary on demo data, loaded by wrk from a second process on
# loopback. Measures the agency list page (/units) and the dashboard (/) as the signed-in
# monitor, the public gallery's search without login, and /healthz in the same run as the
# ceiling (the cheapest request the server answers, through the same middleware and a database
# round trip).
#
# Usage: bench/http.sh [seconds per target, default 15] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
connections=${2:-16}
port=18471

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# shellcheck source=bench/demo-server.sh
source bench/demo-server.sh
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port/units")
[ "$status" = 200 ] || { echo "/units answered $status"; exit 1; }

run() {
  local name=$1 path=$2; shift 2
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "http://127.0.0.1:$port$path")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  printf '| %s | %s | %s | %s |%s\n' "$name" "$rps" "$p50" "$p99" "${errors:+ $errors}"
}

echo "wrk -t2 -c$connections -d${duration}s, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "| target | req/s | p50 | p99 |"
echo "|---|---|---|---|"
run "GET /healthz (ceiling)" /healthz
run "GET /units as monitor" /units -H "Cookie: danvan_session=$session"
run "GET / (dashboard) as monitor" / -H "Cookie: danvan_session=$session"
run "GET /gallery?q=dan+van+kheo (no login)" "/gallery?q=dan+van+kheo"

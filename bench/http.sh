#!/usr/bin/env bash
# Page benchmark (issue 18): the release binary on demo data, loaded by wrk from a second process
# on loopback. Every main page of every role is measured beside /healthz in the same run (the
# ceiling: the cheapest request the server answers, through the same middleware and a database
# round trip): requests per second, p50 and p99 under `connections` connections, and p99 with
# one connection. The share of /healthz's throughput is printed beside each page, with the
# target the page is held to (25 % for lists and detail pages, 10 % for dashboards and the
# board; with one connection p99 under 5 ms).
#
# Usage: bench/http.sh [seconds per target, default 5] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
connections=${2:-16}
port=18471

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# shellcheck source=bench/demo-server.sh
source bench/demo-server.sh
monitor=$session

# Signs in as $1 (password `demo`) the way a browser does; prints the session cookie's value.
login() {
  local jar="$data/cookies-$1" token
  token=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "csrf=$token" --data-urlencode "username=$1" --data-urlencode "password=demo" \
    "http://127.0.0.1:$port/login"
  awk '$6 == "danvan_session" { print $7 }' "$jar"
}
leader=$(login lanhdao)
officer=$(login snv)
district=$(login gianghia)
for s in "$leader" "$officer" "$district"; do [ -n "$s" ] || { echo "login failed"; exit 1; }; done

# The first link of a kind on a page, as the viewer sees it ("/directives/12").
first_link() {
  local cookie=$1 page=$2 pattern=$3
  curl -fs -H "Cookie: danvan_session=$cookie" "http://127.0.0.1:$port$page" | grep -oE "href=\"$pattern\"" | head -n1 | sed 's/href="\(.*\)"/\1/'
}
directive=$(first_link "$monitor" /directives '/directives/[0-9]+')
cycle=$(first_link "$monitor" /evaluations '/evaluations/[0-9]+')
assessment=$(first_link "$monitor" "$cycle" '/assessments/[0-9]+')
round=$(first_link "$monitor" /reports '/reports/[0-9]+')
for link in "$directive" "$cycle" "$assessment" "$round"; do [ -n "$link" ] || { echo "a page to measure was not found"; exit 1; }; done

# Prints one row: the page, its kind's target, req/s, share of the ceiling, p50, p99, and p99
# with one connection.
ceiling=0
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'; }
run() {
  local name=$1 target=$2 cookie=$3 path=$4
  local header=()
  [ -n "$cookie" ] && header=(-H "Cookie: danvan_session=$cookie")
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "http://127.0.0.1:$port$path")
  if [ "$status" != 200 ]; then
    echo "| $name | $path answered $status |"
    # Without the ceiling no share means anything.
    [ "$ceiling" = 0 ] && { echo "/healthz must answer 200 first"; exit 1; }
    return
  fi
  local out one rps p50 p99 p99one errors share
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "${header[@]}" "http://127.0.0.1:$port$path")
  one=$(wrk -t1 -c1 -d"${duration}s" --latency "${header[@]}" "http://127.0.0.1:$port$path")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  p99one=$(awk '$1 == "99%" { print $2 }' <<<"$one")
  errors=$(grep -hE 'Non-2xx|Socket errors' <<<"$out$one" | tr '\n' ' ' || true)
  [ "$ceiling" = 0 ] && ceiling=$rps
  share=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { printf "%.0f %%", 100 * r / c }')
  local verdict="" need
  if [ -n "$target" ]; then
    need=$(awk -v r="$rps" -v c="$ceiling" -v t="$target" -v p="$(to_ms "$p99one")" 'BEGIN { print (100 * r / c >= t && p < 5) ? "yes" : "no" }')
    verdict=" (≥ $target %, p99 < 5 ms alone: $need)"
  fi
  printf '| %s | %s | %s%s | %s | %s | %s |%s\n' "$name" "$rps" "$share" "$verdict" "$p50" "$p99" "$p99one" "${errors:+ $errors}"
}

echo "wrk -t2 -c$connections -d${duration}s and -t1 -c1, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "| page | req/s | share of /healthz (target) | p50 | p99 | p99, one connection |"
echo "|---|---|---|---|---|---|"
run "GET /healthz (ceiling)" "" "" /healthz
run "monitor: home and work queue" 10 "$monitor" /
run "monitor: agencies" 25 "$monitor" /units
run "monitor: directives" 25 "$monitor" /directives
run "monitor: a directive" 25 "$monitor" "$directive"
run "monitor: board" 10 "$monitor" /board
run "monitor: evaluations" 25 "$monitor" /evaluations
run "monitor: a cycle" 25 "$monitor" "$cycle"
run "monitor: an assessment" 25 "$monitor" "$assessment"
run "monitor: initiatives" 25 "$monitor" /initiatives
run "monitor: documents search" 25 "$monitor" "/documents?q=dan+van"
run "monitor: reports" 25 "$monitor" /reports
run "monitor: a round" 25 "$monitor" "$round"
run "leader: home" 10 "$leader" /
run "leader: board" 10 "$leader" /board
run "officer (Sở Nội vụ): home and work queue" 10 "$officer" /
run "officer: directives" 25 "$officer" /directives
run "officer: evaluations" 25 "$officer" /evaluations
run "district committee: home and work queue" 10 "$district" /
run "public: gallery search" 25 "" "/gallery?q=dan+van+kheo"
run "GET /healthz again (ceiling at the end)" "" "" /healthz

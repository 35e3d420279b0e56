#!/usr/bin/env bash
# Heavy uploads against the request path: while N clients upload a 9 MB document to the preview
# (read and parsed on the bounded heavy-work pool) as fast as the server answers, a second
# process measures /healthz and the agency list one request at a time. The same measurement
# without uploads, in the same run, is the baseline. Uploads the pool refuses (every place
# taken) are counted: they are answered at once with the Vietnamese 503.
#
# Usage: bench/heavy.sh [uploaders, default 4] [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
uploaders=${1:-4}
duration=${2:-20}
port=18472

# shellcheck source=bench/demo-server.sh
source bench/demo-server.sh
form_csrf=$(curl -fs -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port/documents/new" \
  | sed -n 's/.*action="\/documents\/preview?csrf=\([0-9a-f]*\)".*/\1/p' | head -n1)
[ -n "$form_csrf" ] || { echo "no form token on /documents/new"; exit 1; }

# A 9 MB plain-text document: the corpus's real texts, repeated.
doc="$data/van-ban-lon.txt"
while [ "$(stat -c %s "$doc" 2>/dev/null || echo 0)" -lt $((9 * 1024 * 1024)) ]; do
  cat crates/danvan-docparse/corpus/*.txt >> "$doc"
done
head -c $((9 * 1024 * 1024)) "$doc" > "$doc.cut" && mv "$doc.cut" "$doc"

# One request at a time for `seconds`; prints "p50 p99 max count" in milliseconds.
measure() {
  local path=$1 seconds=$2 end
  end=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: danvan_session=$session" "http://127.0.0.1:$port$path"
  done | sort -n | awk '{ t[NR] = $1 * 1000 } END {
    printf "%.1f %.1f %.1f %d\n", t[int(NR * 0.5) + 1], t[int(NR * 0.99) + 1], t[NR], NR }'
}

upload_loop() {
  local end=$(( $(date +%s) + 2 * duration + 2 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: danvan_session=$session" \
      -F "file=@$doc;type=text/plain" "http://127.0.0.1:$port/documents/preview?csrf=$form_csrf"
  done
}

row() { read -r p50 p99 max n <<<"$2"; printf '| %s | %s | %s | %s | %s |\n' "$1" "$p50" "$p99" "$max" "$n"; }

echo "$uploaders uploaders of a 9 MB document, ${duration}s per measurement, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "| measured, one request at a time | p50 ms | p99 ms | max ms | requests |"
echo "|---|---|---|---|---|"
row "GET /healthz, no uploads (baseline)" "$(measure /healthz "$duration")"
row "GET /units as monitor, no uploads (baseline)" "$(measure /units "$duration")"

for i in $(seq 1 "$uploaders"); do upload_loop > "$data/uploads.$i" & done
sleep 1
row "GET /healthz during uploads" "$(measure /healthz "$duration")"
row "GET /units as monitor during uploads" "$(measure /units "$duration")"
wait_uploads=$(jobs -p | grep -v "^$server$" || true)
for p in $wait_uploads; do wait "$p" 2>/dev/null || true; done

cat "$data"/uploads.* | awk '{ n[$1]++; if ($1 == 200) { s += $2; c++ } } END {
  for (k in n) printf "uploads answered %s: %d\n", k, n[k];
  if (c) printf "mean time of an accepted upload: %.0f ms\n", s / c * 1000 }'

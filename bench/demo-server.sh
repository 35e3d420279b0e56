# Sourced by the HTTP benchmarks: builds the release binary (or takes $DANVAN_BIN), starts
# `danvan demo` on a fresh SQLite data folder at 127.0.0.1:$port (removed on exit), waits for it, and signs in as the
# monitor `sonoivu` the way a browser does. Sets $data, $server and $session.
# Expects $port; `set -euo pipefail` and the repository root as the working directory.
# DANVAN_BIN names another build of the binary (an earlier commit's, for a before-and-after on
# the same machine and day); otherwise the working tree's is built.
bin=${DANVAN_BIN:-./target/release/danvan}
[ -n "${DANVAN_BIN:-}" ] || cargo build --release -p danvan --quiet

data=$(mktemp -d)
"$bin" demo --data "$data" --addr "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# The login form's cookie and token, then POST.
jar="$data/cookies"
csrf=$(curl -fs -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -fs -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf=$csrf" --data-urlencode "username=sonoivu" --data-urlencode "password=demo" \
  "http://127.0.0.1:$port/login"
session=$(awk '$6 == "danvan_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "login failed"; exit 1; }

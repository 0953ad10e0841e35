#!/usr/bin/env bash
# Durable checkout throughput of a running server, measured with wrk: random
# products of the demo catalog, one unit each, a new order per request.
#   bench/checkout_wrk.sh [http://127.0.0.1:8080] [seconds] [connections] [windows]
# Start the server first with stock to spare and no other load, e.g.
#   build/berry serve --data /tmp/bench-data --port 8080 --rate-limits off
# Runs `windows` windows back to back (default 3): a checkout that costs more
# as orders pile up shows as falling figures from one window to the next.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
secs=${2:-10}
conns=${3:-64}
windows=${4:-3}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk missing: run .ci/install-deps"; exit 1; }
tokens=$(mktemp)
trap 'rm -f "$tokens"' EXIT
run=$(date +%s%N)
# Eight buyers share the load (one account per connection is not needed:
# keys are per user, and each request has its own).
for i in 1 2 3 4 5 6 7 8; do
  curl -sf -X POST "$base/api/v1/auth/register" \
    -H 'Content-Type: application/json' \
    -d "{\"email\": \"bench-$run-$i@berry.test\", \"password\": \"bench-password\", \"name\": \"Bench\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >>"$tokens"
done
for w in $(seq 1 "$windows"); do
  printf 'window %d: ' "$w"
  BERRY_TOKENS=$tokens BERRY_RUN="$run-$w" BERRY_BENCH_DIR=$here \
    wrk -t2 -c"$conns" -d"${secs}s" -s "$here/checkout_wrk.lua" "$base" |
    grep '^checkouts/s'
done

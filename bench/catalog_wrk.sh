#!/usr/bin/env bash
# Catalog read throughput of a running server, measured with wrk.
#   bench/catalog_wrk.sh [http://127.0.0.1:8080] [seconds] [connections]
# Start the server first (build/berry serve --port 8080 --rate-limits off:
# wrk from one address is over any real client's rate limit).
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
secs=${2:-10}
conns=${3:-64}
command -v wrk >/dev/null || { echo "wrk missing: run .ci/install-deps"; exit 1; }
q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("платье"))')
for target in "/api/v1/products/p-000001" "/api/v1/products?page_size=20" \
              "/api/v1/products?q=$q" "/api/v1/categories"; do
  echo "== GET $target"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$base$target" \
    | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
done

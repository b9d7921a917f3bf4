#!/usr/bin/env bash
# The mock gateway under encrypted load at its capacity for DURATION
# (default 60s): every answer must be a sealed success, and the mock's
# resident memory is sampled every 5 seconds to show whether it stays flat.
# Usage: bench/soak/run.sh [DURATION] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-60s}
workers=${2:-10}
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/gwcert" ./cmd/gwcert
"$work/gwcert" mock --addr 127.0.0.1:0 --quiet --env-file "$work/mock.env" > /dev/null &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/mock.env" ] && break; sleep 0.1; done
# shellcheck disable=SC1091
. "$work/mock.env"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$mock_pid/status"; }
echo "mock pid $mock_pid; RSS before the load: $(rss) KiB"
(
  for t in $(seq 5 5 600); do
    sleep 5
    [ -d "/proc/$mock_pid" ] || exit 0
    echo "t=${t}s mock RSS $(rss) KiB"
  done
) &
sampler=$!

"$work/gwcert" load --target "$GWCERT_BASE_URL" --rate 0 --workers "$workers" \
  --duration "$duration" --quiet --report-dir "$work/report"
kill "$sampler" 2>/dev/null || true
echo "mock RSS after the load: $(rss) KiB"

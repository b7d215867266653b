#!/usr/bin/env bash
# Times the new review and alignment endpoints beside the search endpoint on the imported corpus.
set -euo pipefail
# Usage: bash tests/hardening/review_pages.sh target/release/normen-registry (SHARED=../shared).
BIN=$1
W=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"' EXIT
for f in ${SHARED:-../shared}/corpus/*.jsonl.gz; do "$BIN" import "$f" --data-dir "$W" >/dev/null 2>&1; done
"$BIN" serve --data-dir "$W" --addr 127.0.0.1:18093 > $W/log 2>&1 &
PID=$!
for _ in $(seq 60); do curl -sf http://127.0.0.1:18093/ >/dev/null && break; sleep 1; done
python3 - <<'PY'
import time, urllib.request, statistics
base="http://127.0.0.1:18093"
def t(path, n=50):
    xs=[]
    for _ in range(n):
        s=time.perf_counter(); urllib.request.urlopen(base+path).read(); xs.append((time.perf_counter()-s)*1000)
    xs.sort(); return statistics.median(xs), xs[int(len(xs)*0.99)-1]
for p in ["/api/v1/search?q=tilgang", "/api/v1/reviews/due?before=2099-01-01&limit=50", "/api/v1/normen-alignment", "/oppdateringsstatus", "/api/v1/documents?limit=50"]:
    m,p99=t(p); print(f"{p:55s} p50 {m:7.2f} ms  p99 {p99:7.2f} ms")
PY

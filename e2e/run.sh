#!/usr/bin/env bash
# Browser tests: Debian's chromium driven by playwright-core (never a downloaded browser),
# against the real server on a fresh data dir with the demo content. Screenshots of the pages
# land in screenshots/ at the repository root.
#   bash e2e/run.sh [path/to/normen-registry]
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$E2E/.." && pwd)
BIN=${1:-${CARGO_TARGET_DIR:-$ROOT/target}/release/normen-registry}

if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --bin normen-registry)
fi
(cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error)

DATA=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export E2E_USER="Eva Redaktør"
export E2E_PASSWORD="e2e-passord-$(date +%s)"
NORMEN_PASSWORD=$E2E_PASSWORD "$BIN" --data-dir "$DATA" user add "$E2E_USER" --role editor >/dev/null 2>&1
# The stories below publish as one editor; approval by a second one is covered in tests/app/approvals.rs.
"$BIN" --data-dir "$DATA" approval --required-for none >/dev/null
E2E_TOKEN=$("$BIN" --data-dir "$DATA" user add "XSS Editor" --role editor 2>/dev/null)
export E2E_TOKEN
"$BIN" --data-dir "$DATA" serve --addr "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
export BASE_URL="http://127.0.0.1:$PORT"
python3 - "$BASE_URL" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(sys.argv[1] + "/", timeout=2)
        sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit("the server did not start")
PY

export SCREENSHOTS="$ROOT/screenshots"
mkdir -p "$SCREENSHOTS"
cd "$E2E"
if ! node --test --test-concurrency=1 tests/; then
  echo "--- server log ---"; tail -n 50 "$DATA/server.log"
  exit 1
fi
echo "screenshots in $SCREENSHOTS"

#!/usr/bin/env bash
# Property-based fuzzing of the JSON API from its OpenAPI document with schemathesis (PyPI):
# no 5xx, responses match the schema and their declared content types. Runs against the real
# server with the demo content, with an admin token so that writes are exercised too (token
# revocation is left out: the fuzzer would revoke its own token and see only 401s after that).
#   bash tests/fuzz/schemathesis.sh path/to/normen-registry [max-examples]
set -euo pipefail
BIN=$1
EXAMPLES=${2:-40}
VENV=${SCHEMATHESIS_VENV:-$HOME/.cache/normen-registry/venv}
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet schemathesis==4.32.5
fi
DATA=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=$("$BIN" --data-dir "$DATA" user add "Fuzz Editor" --role admin 2>/dev/null)
"$BIN" --data-dir "$DATA" serve --addr "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/documents?limit=1" >/dev/null && break; sleep 0.3; done
cd "$DATA"
status=0
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --exclude-path "/api/v1/tokens/{id}" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "$EXAMPLES" --seed 20261123 --no-color || status=$?
if grep -q "panicked" "$DATA/server.log"; then
  echo "the server panicked during fuzzing:"; grep -A3 "panicked" "$DATA/server.log" | head -20
  status=1
fi
exit $status

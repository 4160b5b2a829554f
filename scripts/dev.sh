#!/usr/bin/env bash
# Serves the built worker on 127.0.0.1:8787 with state under .wrangler/state, creates a demo
# tenant the first time, and prints its owner key and a curl line that works.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8787}
BASE="http://127.0.0.1:$PORT"
TOKEN=$(sed -n 's/^OPERATOR_TOKEN=//p' .dev.vars)
DEMO=.wrangler/demo-tenant.json

wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to .wrangler/state \
  --var ALLOW_HTTP_WEBHOOKS:true --show-interactive-dev-session=false &
WRANGLER=$!
trap 'kill $WRANGLER 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 120); do
  curl -fsS "$BASE/openapi.json" >/dev/null 2>&1 && break
  sleep 0.5
done

if [ ! -s "$DEMO" ]; then
  curl -fsS -X POST "$BASE/v1/operator/tenants" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name":"Demo Co","tier":"pro","timezone":"America/New_York"}' > "$DEMO.tmp"
  KEY=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).data.api_key.key)' "$DEMO.tmp")
  for w in '{"name":"Ana Lima","email":"ana@example.com","position":"Site lead","pay_rate":3200}' \
           '{"name":"Ben Okafor","email":"ben@example.com","position":"Electrician","pay_rate":2800}' \
           '{"name":"Chen Wei","email":"chen@example.com","position":"Apprentice","pay_rate":1900}'; do
    curl -fsS -X POST "$BASE/v1/workers" -H "Authorization: Bearer $KEY" \
      -H 'Content-Type: application/json' -d "$w" >/dev/null
  done
  mv "$DEMO.tmp" "$DEMO"
fi
KEY=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).data.api_key.key)' "$DEMO")

cat <<MSG

edgeclock is serving on $BASE  (API reference: $BASE/docs)
Demo tenant owner key: $KEY
Try:
  curl -s -H "Authorization: Bearer $KEY" "$BASE/v1/workers?limit=50"

MSG
wait $WRANGLER

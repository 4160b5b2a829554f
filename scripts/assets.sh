#!/usr/bin/env bash
# Assembles build/assets/, the files Workers Static Assets serve (see [assets] in
# wrangler.toml): the generated OpenAPI document, the docs page and its script, and Swagger UI
# from the pinned npm package swagger-ui-dist — so /docs needs no CDN and no internet.
set -euo pipefail
cd "$(dirname "$0")/.."
# Under _assets/, a path no route uses: the worker serves /openapi.json and /docs/* from there
# through the ASSETS binding, so those responses carry X-Request-Id like every other one.
OUT=build/assets/_assets
rm -rf build/assets
mkdir -p "$OUT/docs"
cp openapi.json "$OUT/openapi.json"
cp assets/docs/index.html assets/docs/init.js "$OUT/docs/"
cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js "$OUT/docs/"

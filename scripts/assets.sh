#!/usr/bin/env bash
# Assembles build/assets/, the files Workers Static Assets serve (see [assets] in
# wrangler.toml): the generated OpenAPI document, the docs page and its script, Swagger UI
# from the pinned npm package swagger-ui-dist — so /docs needs no CDN and no internet — and
# the embeddable live map's page, script and style sheet (/embed/live-map).
set -euo pipefail
cd "$(dirname "$0")/.."
# Under _assets/, a path no route uses: the worker serves /openapi.json, /docs/* and /embed/*
# from there through the ASSETS binding, so those responses carry X-Request-Id like every other one.
OUT=build/assets/_assets
rm -rf build/assets
mkdir -p "$OUT/docs" "$OUT/embed"
cp openapi.json "$OUT/openapi.json"
cp assets/docs/index.html assets/docs/init.js "$OUT/docs/"
cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js "$OUT/docs/"
cp assets/embed/live-map.html assets/embed/live-map.js assets/embed/live-map.css "$OUT/embed/"

# edgeclock: two commands do everything on a fresh machine.
#   make dev   — install what is missing, build, apply migrations, serve on 127.0.0.1:8787
#   make test  — the same set-up, then the style gates (fmt, clippy), native unit tests, the
#                end-to-end suite and the contract fuzzer (schemathesis against openapi.json)
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/.tools/bin:$(HOME)/.cargo/bin:$(PATH)
export WASM_BINDGEN_BIN := $(CURDIR)/.tools/bin/wasm-bindgen
export WASM_OPT_BIN := $(CURDIR)/node_modules/.bin/wasm-opt
export ESBUILD_BIN := $(CURDIR)/node_modules/.bin/esbuild
export WRANGLER_SEND_METRICS := false
export CARGO_TERM_PROGRESS_WHEN := never
# swagger-ui-dist depends on @scarf/scarf, whose install script would report usage.
export SCARF_ANALYTICS := false

.PHONY: dev test tools contract-tools build schema lint unit e2e contract bench clean openapi sdk

tools:
	@scripts/tools.sh

# The project's Python packages, pinned, in .venv/: schemathesis (the contract fuzzer) and httpx
# and pytest (the Python SDK and its suite, which the end-to-end suite runs).
contract-tools:
	@scripts/contract-tools.sh

.dev.vars:
	cp .dev.vars.example .dev.vars

build: tools .dev.vars
	worker-build --release
	scripts/assets.sh

# Applies every migration not yet applied to the local database (README "Upgrading").
schema: build
	CI=true wrangler d1 migrations apply DB --local --persist-to .wrangler/state >/dev/null

dev: schema
	scripts/dev.sh

unit: tools
	cargo test --lib

# Writes openapi.json anew from the route and field declarations (a unit test fails until it is).
openapi:
	EDGECLOCK_WRITE_OPENAPI=1 cargo test --lib openapi::tests::committed_document_is_current
	node sdk/generate.mjs

# Regenerates both SDKs' generated files from openapi.json (a test fails while they are stale).
sdk: tools
	node sdk/generate.mjs

e2e: build contract-tools
	cargo test --test e2e -- --test-threads=4

contract: build contract-tools
	scripts/contract.sh

# Style gates: formatting, and clippy as errors on the native build (tests included) and on the
# wasm build the Worker runs.
lint: tools
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

test: lint unit e2e contract

bench: build
	bench/run.sh

clean:
	rm -rf build target .wrangler .tools node_modules .venv

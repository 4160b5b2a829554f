#!/usr/bin/env bash
# Installs what building and serving edgeclock needs, each at a pinned version, into the
# project (.tools/ and node_modules/): the wasm32 target, worker-build, the wasm-bindgen CLI
# matching Cargo.lock exactly, the npm packages (wrangler, Node 22, binaryen, swagger-ui-dist,
# puppeteer-core), and Debian's Chromium for the browser tests of the docs page and the live map.
# Idempotent: anything already present at the right version is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKER_BUILD_VERSION=0.8.7
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
TOOLS="$PWD/.tools"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# The downloads (npm packages, Debian's Chromium) run in the background while cargo compiles
# the two CLIs below: one waits on the network, the other on the CPU. Each writes its log to
# .tools/ and the script fails with that log if either fails.
mkdir -p "$TOOLS"
BACKGROUND=()
in_background() { # NAME COMMAND...: runs COMMAND with its output in .tools/NAME.log
  local name=$1; shift
  ("$@") >"$TOOLS/$name.log" 2>&1 &
  BACKGROUND+=("$!:$name")
}

# npm packages: reinstalled exactly when package-lock.json changed since the last install (by
# content, not file times, which a fresh clone or a checkout resets).
npm_packages() {
  npm ci --no-audit --no-fund --loglevel=error
  echo "$LOCK_SUM" > node_modules/.lock-sha256
}
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -x node_modules/.bin/wrangler ] || [ "$(cat node_modules/.lock-sha256 2>/dev/null)" != "$LOCK_SUM" ]; then
  in_background npm npm_packages
fi

# The docs page and the live map are tested in a real headless browser: Debian's Chromium (the
# release Debian ships for this machine's distribution; apt cannot pin an exact build it may
# already have replaced with a security update).
chromium_package() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
if ! command -v chromium >/dev/null; then
  in_background chromium chromium_package
fi

installed_version() { "$TOOLS/bin/$1" --version 2>/dev/null | awk '{print $2}'; }

if [ "$(installed_version worker-build)" != "$WORKER_BUILD_VERSION" ]; then
  cargo install --quiet --root "$TOOLS" worker-build --version "$WORKER_BUILD_VERSION"
fi
if [ "$(installed_version wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: the CLI's own lock pins a crate some registry mirrors lack.
  cargo install --quiet --root "$TOOLS" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

for job in "${BACKGROUND[@]}"; do
  if ! wait "${job%%:*}"; then
    echo "tools: installing ${job#*:} failed:" >&2
    cat "$TOOLS/${job#*:}.log" >&2
    exit 1
  fi
done

#!/usr/bin/env bash
# Installs the contract fuzzer (schemathesis) into the project's own virtualenv, .venv/, made
# from the machine's python3, with every package at the exact version that
# tests/contract/requirements.txt pins. --no-deps installs nothing the list does not name, and
# `pip check` proves the list is complete. Idempotent: when .venv already holds exactly the
# pinned set, nothing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=tests/contract/requirements.txt
VENV=.venv
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)

pinned() { grep -v '^#' "$LOCK" | sed '/^$/d' | tr 'A-Z_' 'a-z-' | sort; }
installed() { "${PIP[@]}" freeze 2>/dev/null | tr 'A-Z_' 'a-z-' | sort; }

# A virtualenv whose interpreter vanished (python3 upgraded or removed) is made again.
if ! "$VENV/bin/python" -c '' 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
fi

if [ "$(installed)" != "$(pinned)" ]; then
  "${PIP[@]}" install --quiet --no-deps --requirement "$LOCK"
  # Anything installed earlier that the list no longer names is removed.
  extra=$(comm -13 <(pinned) <(installed) | cut -d= -f1)
  if [ -n "$extra" ]; then
    # shellcheck disable=SC2086  # one package name per word
    "${PIP[@]}" uninstall --quiet --yes $extra
  fi
  "${PIP[@]}" check
fi

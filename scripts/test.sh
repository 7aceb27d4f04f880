#!/usr/bin/env bash
# Install everything the test suite needs, then run it.
#   - a virtual environment in .venv with kg and its test extras (pinned in pyproject.toml)
#   - Debian's chromium for the browser tests of the HTML views (never a downloaded browser)
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install Debian chromium; browser tests will fail" >&2
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium missing and not root: install Debian's chromium for the browser tests" >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"

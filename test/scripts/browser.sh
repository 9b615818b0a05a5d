#!/usr/bin/env bash
# Provides a real browser for StatusPageIT: Debian's `chromium` and playwright-core (pinned, from
# npm) to drive it with the machine's node. Only playwright-core is installed, never Playwright's own
# browser downloads: the test launches Debian's chromium by path.
#
# Idempotent: chromium is installed with apt-get only when it is not on PATH (set LIFELINE_CHROMIUM
# to use another Chromium build; the test reads the same variable); playwright-core is installed
# into ~/.cache/lifeline/playwright/<version>/ (LIFELINE_PLAYWRIGHT_DIR overrides the parent) only
# when that directory does not have it yet. Prints what the test needs on stdout, logs on stderr:
#   CHROMIUM=<path of the browser>
#   PLAYWRIGHT_DIR=<directory whose node_modules holds playwright-core>
# Usage: test/scripts/browser.sh
set -euo pipefail

PLAYWRIGHT_VERSION=1.65.1
log() { echo "[browser] $*" >&2; }
CHROMIUM="${LIFELINE_CHROMIUM:-chromium}"
DIR="${LIFELINE_PLAYWRIGHT_DIR:-$HOME/.cache/lifeline/playwright}/$PLAYWRIGHT_VERSION"

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  :
else
  log "node and npm are needed (Debian: apt-get install nodejs npm)" && exit 1
fi

if command -v "$CHROMIUM" >/dev/null 2>&1; then
  log "found: $(command -v "$CHROMIUM") ($("$CHROMIUM" --version 2>/dev/null | head -n 1))"
elif [ "$CHROMIUM" != "chromium" ]; then
  log "LIFELINE_CHROMIUM=$CHROMIUM is not on PATH" && exit 1
else
  # shellcheck source=../../scripts/lib/debian-packages.sh
  source "$(dirname "$0")/../../scripts/lib/debian-packages.sh"
  install_debian_packages chromium || { log "install Chromium, or set LIFELINE_CHROMIUM"; exit 1; }
  log "installed: $(command -v chromium) ($(chromium --version 2>/dev/null | head -n 1))"
fi

if [ -f "$DIR/node_modules/playwright-core/package.json" ]; then
  log "found: playwright-core $PLAYWRIGHT_VERSION in $DIR"
else
  log "installing playwright-core $PLAYWRIGHT_VERSION into $DIR"
  rm -rf "$DIR.partial" && mkdir -p "$DIR.partial"
  # No browser downloads (Debian's chromium is used), no scripts, no audit/fund chatter.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$DIR.partial" --no-save --ignore-scripts \
    --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >&2
  rm -rf "$DIR" && mv "$DIR.partial" "$DIR"
  log "installed: playwright-core $PLAYWRIGHT_VERSION in $DIR"
fi
echo "CHROMIUM=$(command -v "$CHROMIUM")"
echo "PLAYWRIGHT_DIR=$DIR"

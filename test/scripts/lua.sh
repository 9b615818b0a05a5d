#!/usr/bin/env bash
# Provides a Lua 5.1 interpreter (`lua5.1` on PATH) for ArgoCdHealthCheckTest, which runs the
# Argo CD health check and resource actions in deploy/argocd/ in a real interpreter. Argo CD runs
# them in gopher-lua, a Lua 5.1 implementation; Debian's lua5.1 has the same language semantics.
#
# Idempotent: does nothing when lua5.1 is already on PATH (set LIFELINE_LUA to use another
# interpreter; the test reads the same variable). Otherwise installs Debian's lua5.1 package
# (scripts/lib/debian-packages.sh).
# Usage: test/scripts/lua.sh
set -euo pipefail

log() { echo "[lua] $*" >&2; }
LUA="${LIFELINE_LUA:-lua5.1}"

if command -v "$LUA" >/dev/null 2>&1; then
  log "found: $(command -v "$LUA") ($("$LUA" -v 2>&1 | head -n 1))"
  exit 0
fi
if [ "$LUA" != "lua5.1" ]; then
  log "LIFELINE_LUA=$LUA is not on PATH" && exit 1
fi
# shellcheck source=../../scripts/lib/debian-packages.sh
source "$(dirname "$0")/../../scripts/lib/debian-packages.sh"
install_debian_packages lua5.1 || { log "install a Lua 5.1 interpreter as lua5.1, or set LIFELINE_LUA"; exit 1; }
log "installed: $(command -v lua5.1) ($(lua5.1 -v 2>&1 | head -n 1))"

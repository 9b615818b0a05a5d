#!/usr/bin/env bash
# Provides a Lua 5.1 interpreter (`lua5.1` on PATH) for ArgoCdHealthCheckTest, which runs the
# Argo CD health check and resource actions in deploy/argocd/ in a real interpreter. Argo CD runs
# them in gopher-lua, a Lua 5.1 implementation; Debian's lua5.1 has the same language semantics.
#
# Idempotent: does nothing when lua5.1 is already on PATH (set LIFELINE_LUA to use another
# interpreter; the test reads the same variable). Otherwise installs Debian's lua5.1 package
# with apt-get (as root, or through sudo), refreshing the package lists once if the first
# install attempt fails because they are missing or stale.
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
if ! command -v apt-get >/dev/null 2>&1; then
  log "lua5.1 is not on PATH and there is no apt-get: install a Lua 5.1 interpreter as lua5.1, or set LIFELINE_LUA"
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    log "lua5.1 is missing and installing it needs root (apt-get install -y lua5.1)" && exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log "installing Debian's lua5.1"
if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends lua5.1 >&2; then
  log "install failed; refreshing the package lists and trying once more"
  "${SUDO[@]}" apt-get update -q >&2
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends lua5.1 >&2
fi
log "installed: $(command -v lua5.1) ($(lua5.1 -v 2>&1 | head -n 1))"

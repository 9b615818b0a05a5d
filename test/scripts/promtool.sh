#!/usr/bin/env bash
# Provides Prometheus' own `promtool` (check rules, test rules) and `promql-names` (metric names an
# expression reads, parsed by Prometheus' PromQL parser; source in test/tools/promql-names/) for
# MonitoringRulesIT, which validates deploy/monitoring/ against a running operator's /q/metrics.
#
# Built from the Go module proxy (no other download): a throwaway wrapper module in the cache
# requires github.com/prometheus/prometheus at a pinned version and holds a copy of promql-names.
# The build tag remove_all_sd leaves out the service-discovery plugins (AWS, Azure, GCE, Kubernetes,
# ...), which promtool only needs for `promtool check service-discovery`; that keeps the cold
# build small (measured: see test/README.md).
#
# Idempotent: binaries already in the cache for this version and this promql-names source are
# kept; each build writes a temporary file and renames it.
# Usage: test/scripts/promtool.sh   (prints the bin directory on stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."

# v0.316.0 is Prometheus 3.16's module version; its go.mod needs Go 1.26.7.
PROMETHEUS_MODULE_VERSION="${LIFELINE_PROMETHEUS_VERSION:-v0.316.0}"
# v0.316.0 -> 3.16.0, for promtool --version
PROMETHEUS_VERSION="$(echo "$PROMETHEUS_MODULE_VERSION" | sed -E 's/^v0\.([0-9])([0-9]+)\.([0-9]+)$/\1.\2.\3/')"
CACHE_DIR="${LIFELINE_PROMTOOL_DIR:-$HOME/.cache/lifeline/promtool-$PROMETHEUS_MODULE_VERSION}"
BIN_DIR="$CACHE_DIR/bin"
WRAPPER="$CACHE_DIR/module"
NAMES_SRC=test/tools/promql-names/main.go

log() { echo "[promtool] $*" >&2; }
mkdir -p "$BIN_DIR" "$WRAPPER/promql-names"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

started=$(date +%s)
if [ ! -f "$WRAPPER/.ready" ]; then
  log "preparing wrapper module for github.com/prometheus/prometheus $PROMETHEUS_MODULE_VERSION"
  (
    cd "$WRAPPER"
    rm -f go.mod go.sum
    go mod init lifeline.dev/promtoolbuild >/dev/null 2>&1
    go mod edit -require="github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION"
    cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
GO
    cp "$OLDPWD/$NAMES_SRC" promql-names/main.go
    # No `go mod tidy`: it would fetch every plugin's modules; go build (-mod=mod) fetches only what it compiles.
    touch .ready
  )
fi

if [ ! -x "$BIN_DIR/promtool" ]; then
  log "go build promtool (a few minutes on a cold cache)"
  (cd "$WRAPPER" && go build -trimpath -tags remove_all_sd \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
      -o "$BIN_DIR/promtool.tmp" github.com/prometheus/prometheus/cmd/promtool)
  mv "$BIN_DIR/promtool.tmp" "$BIN_DIR/promtool"
  log "built promtool in $(( $(date +%s) - started ))s"
fi

# Rebuilt when its source in the repository changes.
if ! cmp -s "$NAMES_SRC" "$WRAPPER/promql-names/main.go" || [ ! -x "$BIN_DIR/promql-names" ]; then
  cp "$NAMES_SRC" "$WRAPPER/promql-names/main.go"
  (cd "$WRAPPER" && go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/promql-names.tmp" ./promql-names)
  mv "$BIN_DIR/promql-names.tmp" "$BIN_DIR/promql-names"
  log "built promql-names"
fi
log "ready: $BIN_DIR ($("$BIN_DIR/promtool" --version 2>&1 | head -n 1))"
echo "$BIN_DIR"

#!/usr/bin/env bash
# Provides a pinned `helm` (v3) for HelmChartIT (helm lint, helm template of deploy/helm/lifeline).
# This workplace reaches only package registries, so helm is built from the Go module proxy with
# `go install helm.sh/helm/v3/cmd/helm@<version>`: helm's go.mod has no replace directives, so
# this builds exactly the dependency versions of that release. v3.19.5 is pinned: its go.mod
# needs Go 1.24, which the machine's go1.26 satisfies (no toolchain download).
#
# Idempotent: a helm already in the cache is kept; the build goes to a scratch GOBIN and is moved
# into place with one rename, so an interrupted build leaves nothing half-written behind.
# Prints the path of the binary on stdout (the test reads LIFELINE_HELM, default this path).
# Cold build on 2 cores: see test/README.md ("built helm in <n>s" in the log).
# Usage: test/scripts/helm.sh
set -euo pipefail

HELM_VERSION="${LIFELINE_HELM_VERSION:-v3.19.5}"
BIN_DIR="${LIFELINE_TOOLS_DIR:-$HOME/.cache/lifeline/tools}/helm-$HELM_VERSION"
log() { echo "[helm] $*" >&2; }

if [ -x "$BIN_DIR/helm" ]; then
  log "cached: $BIN_DIR/helm"
  echo "$BIN_DIR/helm"
  exit 0
fi
started=$SECONDS
scratch="$BIN_DIR.tmp"
rm -rf "$scratch" && mkdir -p "$scratch"
log "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (a few minutes on a cold Go cache)"
(
  cd "$scratch"
  export CGO_ENABLED=0 GOFLAGS= GOTOOLCHAIN=local GOBIN="$scratch"
  go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
)
mkdir -p "$BIN_DIR"
mv "$scratch/helm" "$BIN_DIR/helm"
rm -rf "$scratch"
log "built helm in $((SECONDS - started))s: $("$BIN_DIR/helm" version --short)"
echo "$BIN_DIR/helm"

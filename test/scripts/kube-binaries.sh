#!/usr/bin/env bash
# Provides etcd, kube-apiserver and kubectl of one pinned Kubernetes version in the layout
# fabric8 kube-api-test expects: $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}.
#
# This workplace has no internet, only the Go module proxy, so the binaries are built from
# source modules: a throwaway wrapper module requires k8s.io/kubernetes and replaces every
# staging module (k8s.io/api, ...) with its published v0.Y.Z. etcd is built the same way,
# from a wrapper that requires go.etcd.io/etcd/server/v3.
#
# kwok (fake nodes and pod status for the simulated regions) is built with `go install` of a
# pinned release. The Go module proxy serves v0.6.1, v0.7.0 and v0.8.0. v0.7.0 is pinned: its
# go.mod needs Go 1.24 (v0.8.0 needs Go 1.26), and it falls back to built-in node and pod stages
# when none are configured, where v0.8.0 refuses to start without stage configs. The harness
# always passes its own stages (test/src/main/resources/kwok/stages.yaml); they also work with
# v0.8.0 (checked by hand: nodes turn Ready, a crash loop shows).
#
# Idempotent: a binary already in the cache is kept; each build writes a temporary file and
# renames it, so an interrupted build leaves nothing half-written behind.
# Cold build on 2 cores: 10-25 minutes for the default set; the extra components add the times
# logged as "built <component> in <n>s" (see test/README.md for measured numbers).
# Usage: test/scripts/kube-binaries.sh [component ...]
#   components: kube-apiserver kubectl etcd (default) kube-controller-manager kube-scheduler kwok
#               kubelet kube-proxy (real nodes: RealNode; built with CGO_ENABLED=0 like the rest)
set -euo pipefail

K8S_VERSION="${LIFELINE_K8S_VERSION:-1.35.4}"
ETCD_VERSION="${LIFELINE_ETCD_VERSION:-3.6.5}"
KWOK_VERSION="${LIFELINE_KWOK_VERSION:-v0.7.0}"
CACHE_ROOT="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN_DIR="$CACHE_ROOT/k8s/${K8S_VERSION}-linux-amd64"
WORK_DIR="${LIFELINE_BUILD_DIR:-$HOME/.cache/lifeline/kube-build-$K8S_VERSION}"
STAGING_VERSION="v0.${K8S_VERSION#*.}"

components=("$@")
[ ${#components[@]} -eq 0 ] && components=(kube-apiserver kubectl etcd)

mkdir -p "$BIN_DIR" "$WORK_DIR"
log() { echo "[kube-binaries] $*" >&2; }

missing=()
for c in "${components[@]}"; do
  [ -x "$BIN_DIR/$c" ] || missing+=("$c")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "cached: $BIN_DIR (${components[*]})"
  exit 0
fi
log "building ${missing[*]} for Kubernetes v$K8S_VERSION into $BIN_DIR"

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

k8s_wrapper() {
  local dir="$WORK_DIR/k8s"
  mkdir -p "$dir"
  if [ ! -f "$dir/go.sum" ] || [ ! -f "$dir/.ready" ]; then
    log "preparing wrapper module for k8s.io/kubernetes v$K8S_VERSION"
    (
      cd "$dir"
      rm -f go.mod go.sum
      go mod init lifeline.dev/kubebuild >/dev/null 2>&1
      go mod edit -require="k8s.io/kubernetes@v$K8S_VERSION"
      # Replace every staging module with its published version, read from the release's go.mod.
      local gomod
      gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
      for m in $(awk '/^replace \(/{f=1;next} f&&/^\)/{f=0} f&&/=> \.\/staging/{print $1}' "$gomod"); do
        go mod edit -replace="$m=$m@$STAGING_VERSION"
      done
      cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
      go mod tidy -e >/dev/null 2>&1 || true
      go mod download
      touch .ready
    )
  fi
  echo "$dir"
}

k8s_ldflags() {
  local pkg=k8s.io/component-base/version
  local cpkg=k8s.io/client-go/pkg/version
  local date="2026-01-01T00:00:00Z"
  local f=""
  for p in $pkg $cpkg; do
    f+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=${K8S_VERSION%%.*}"
    local minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
    f+=" -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date -X $p.gitCommit=0000000000000000000000000000000000000000"
  done
  echo "-s -w$f"
}

build_k8s() {
  local name="$1" dir
  dir="$(k8s_wrapper)"
  log "go build $name (this takes several minutes on a cold cache)"
  (cd "$dir" && go build -trimpath -tags selinux,notest -ldflags "$(k8s_ldflags)" \
      -o "$BIN_DIR/$name.tmp" "k8s.io/kubernetes/cmd/$name")
  mv "$BIN_DIR/$name.tmp" "$BIN_DIR/$name"
}

build_etcd() {
  local dir="$WORK_DIR/etcd"
  mkdir -p "$dir"
  (
    cd "$dir"
    if [ ! -f .ready ]; then
      rm -f go.mod go.sum
      go mod init lifeline.dev/etcdbuild >/dev/null 2>&1
      go mod edit -require="go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
      printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
      go mod tidy -e >/dev/null 2>&1 || true
      go mod download
      touch .ready
    fi
    log "go build etcd v$ETCD_VERSION"
    go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  )
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
}

build_kwok() {
  # kwok's go.mod has no replace directives, so `go install module@version` builds it with
  # exactly the dependency versions of that release; GOBIN is a scratch dir, then one rename.
  local dir="$WORK_DIR/kwok-$KWOK_VERSION"
  rm -rf "$dir" && mkdir -p "$dir"
  log "go install kwok $KWOK_VERSION"
  (
    cd "$dir"
    GOFLAGS= GOBIN="$dir" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  )
  mv "$dir/kwok" "$BIN_DIR/kwok"
}

for c in "${missing[@]}"; do
  started=$SECONDS
  case "$c" in
    etcd) build_etcd ;;
    kwok) build_kwok ;;
    kube-apiserver|kubectl|kube-controller-manager|kube-scheduler|kubelet|kube-proxy) build_k8s "$c" ;;
    *) log "unknown component: $c"; exit 2 ;;
  esac
  log "built $c in $((SECONDS - started))s"
done
"$BIN_DIR/kube-apiserver" --version 2>/dev/null | sed 's/^/[kube-binaries] /' >&2 || true
log "ready: $BIN_DIR"

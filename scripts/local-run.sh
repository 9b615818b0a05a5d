#!/usr/bin/env bash
# Runs Lifeline locally with no cluster and no AWS account: one region on this machine (a local
# kube-apiserver + etcd, controller manager and scheduler of the pinned version, built and cached on
# first use), the packaged operator, samples/ applied, until Ctrl-C.
# As root, with containerd available (test/scripts/node-prereqs.sh installs Debian's packages), the
# region gets a real kubelet node: the built media-server image runs there, the session table lives in
# moto, and the load generator keeps calls flowing. Otherwise the nodes are kwok's simulated ones.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[local-run] $*" >&2; }
binaries=(kube-apiserver kubectl etcd kube-controller-manager kube-scheduler kwok)
if [ "$(id -u)" = 0 ] && test/scripts/node-prereqs.sh >/dev/null; then
  binaries+=(kubelet)
  log "root and node prerequisites present: building the images for a real node"
  ./mvnw -q -DskipTests install -Pimages -Dimages.base="$(scripts/base-image.sh)"
else
  log "no real node here (not root, or containerd/runc/CNI missing): pods will be kwok's simulated ones"
  ./mvnw -q -DskipTests install
fi
test/scripts/kube-binaries.sh "${binaries[@]}"
exec ./mvnw -q -pl test exec:java -Dexec.mainClass=dev.lifeline.test.LocalRun -Dexec.args="$*"

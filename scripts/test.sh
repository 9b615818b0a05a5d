#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: provides the pinned Kubernetes control-plane
# binaries (built once from the Go module proxy and cached in ~/.kubeapitest), then the Maven
# build with unit tests (*Test) and integration tests (*IT) against real processes.
# kube-controller-manager, kube-scheduler and kwok make the simulated regions (SimulatedRegion).
# The container images are built along (profile `images`, on the base image made once with
# debootstrap and cached in ~/.cache/lifeline/base-image/) and then run under runc.
set -euo pipefail
cd "$(dirname "$0")/.."
test/scripts/kube-binaries.sh kube-apiserver kubectl etcd kube-controller-manager kube-scheduler kwok
base="$(scripts/base-image.sh)"
./mvnw verify -Pimages -Dimages.base="$base" "$@"
test/scripts/image-smoke.sh

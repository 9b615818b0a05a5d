#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: provides the pinned Kubernetes control-plane
# binaries (built once from the Go module proxy and cached in ~/.kubeapitest), then the Maven
# build with unit tests (*Test) and integration tests (*IT) against real processes.
# kube-controller-manager, kube-scheduler and kwok make the simulated regions (SimulatedRegion);
# kubelet, kube-proxy, containerd, runc, the CNI plugins and the pause image make real nodes (RealNode, *E2E).
# lua5.1 runs the Argo CD health check and actions in deploy/argocd/ (ArgoCdHealthCheckTest).
# chromium and playwright-core drive the operator's status page in StatusPageIT.
# helm (built once from the Go module proxy, cached in ~/.cache/lifeline/tools/) lints and renders
# the chart in deploy/helm/lifeline/ (HelmChartIT, which also renders the kustomize overlays).
# promtool (built once from the Go module proxy, cached in ~/.cache/lifeline/) checks the alerts in
# deploy/monitoring/ against a running operator's metric names (MonitoringRulesIT).
# The container images are built along (profile `images`, on the base image made once with
# debootstrap and cached in ~/.cache/lifeline/base-image/) before the tests, so the *E2E tests
# run the built media server on real nodes; then the images are run under runc.
set -euo pipefail
cd "$(dirname "$0")/.."
test/scripts/kube-binaries.sh kube-apiserver kubectl etcd kube-controller-manager kube-scheduler kwok kubelet kube-proxy
test/scripts/node-prereqs.sh >/dev/null
test/scripts/lua.sh
test/scripts/browser.sh >/dev/null
LIFELINE_HELM="$(test/scripts/helm.sh)"
export LIFELINE_HELM
test/scripts/promtool.sh >/dev/null
base="$(scripts/base-image.sh)"
./mvnw verify -Pimages -Dimages.base="$base" "$@"
test/scripts/image-smoke.sh

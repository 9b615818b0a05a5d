#!/usr/bin/env bash
# Relay crash -> media again on real pods (issue 10, scenario c as a benchmark): per trial, N
# two-party calls through the operator's own media server on a real kubelet node, the JVM of the
# relay with the most calls SIGKILLed from the host, time until each call has media again.
#
#   test/bench/relay-kill-bench.sh [calls] [trials]      (default 20 calls, 5 trials)
#
# Needs what the *E2E tests need (root, containerd; see test/README.md "Real nodes") and owns the
# machine's real-node lock while it runs. Writes test/bench/results/relay-kill-real-pods-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver kubectl etcd kube-controller-manager kube-scheduler kwok kubelet
test/scripts/node-prereqs.sh >/dev/null
./mvnw -q -DskipTests install -Pimages -Dimages.base="$(scripts/base-image.sh)"
exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.RelayKillBenchmark -Dexec.args="${1:-20} ${2:-5}"

#!/usr/bin/env bash
# Scale benchmark (issue 13, item 4): N RealtimePlatforms created at once on one operator against a
# real kube-apiserver (Service range 10.96.0.0/16) → time until all Ready, the operator's RSS and
# live heap per platform; then the idle duration unchanged → writes to the API server
# (apiserver_request_total) and to AWS (moto behind a recording proxy); then one spec change → time
# to reconcile it while the rest idle.
#
#   test/bench/scale-bench.sh [platforms=1000] [idle-seconds=600] [aws=moto|inmemory]
#   test/bench/scale-bench.sh 100 60          # a quick run
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates
# its venv on first use). Writes test/bench/results/scale-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd kubectl
./mvnw -q -pl operator -am install -DskipTests
MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx1g" exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.ScaleBenchmark -Dexec.args="${1:-1000} ${2:-600} ${3:-moto}"

#!/usr/bin/env bash
# Failover benchmark (issue 4, item 6): time from a region failing to its Route 53 record being
# drained, over N trials (default 20) on three simulated regions with the default failover policy.
#
#   test/bench/failover-bench.sh [trials]
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates
# its venv on first use). Writes test/bench/results/failover-<time>.txt; takes about a minute a trial.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd
./mvnw -q -pl operator -am install -DskipTests
exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.FailoverBenchmark -Dexec.args="${1:-20}"

#!/usr/bin/env bash
# Failover benchmark (issue 4, item 6; issue 11, item 7): a whole region lost under calls, over N trials
# (default 10) on three simulated regions with the default failover policy, two of them running the real
# media server: per call, the time until media flows again in another region, and the time until the
# region's Route 53 record is drained; before each loss, a control-plane-only fault counts false failovers.
#
#   test/bench/failover-bench.sh [trials]
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates
# its venv on first use). Writes test/bench/results/failover-<time>.txt; takes about three minutes a trial.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd
./mvnw -q -pl operator,media-server -am install -DskipTests
exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.FailoverBenchmark -Dexec.args="${1:-10}"

#!/usr/bin/env bash
# Leader-failover benchmark (issue 11, item 2): the operator's leader replica SIGKILLed or SIGTERMed, N times each
# (default 10), in a region that shares its platform with a peer region: how soon the standby holds the Lease and
# heartbeats, and how old the region's heartbeat got for the peer (stale beyond spec.failover.staleAfterSeconds, 6 s).
#
#   test/bench/leader-failover-bench.sh [trials per signal]
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates its venv on
# first use). Writes test/bench/results/leader-failover-<time>.txt; takes about 20 s a trial.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd
./mvnw -q -pl operator -am install -DskipTests
exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.LeaderFailoverBenchmark -Dexec.args="${1:-10}"

#!/usr/bin/env bash
# False-drain benchmark (issue 13, item 3): the failover benchmark's three regions (real media server in two) for
# N minutes (default 30) with every session-table call delayed 0-1 s and 1 % of them lost; counts the suspicions
# the operators publish, and the drains, Route 53 weight changes and record changes (target: none).
#
#   test/bench/false-drain-bench.sh [minutes]
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates its venv on
# first use). Writes test/bench/results/false-drain-<time>.txt; takes the minutes asked plus about two to start.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd
./mvnw -q -pl operator,media-server,testkit -am install -DskipTests
exec ./mvnw -q -pl test test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.lifeline.test.FalseDrainBenchmark -Dexec.args="${1:-30}"

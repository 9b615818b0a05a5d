#!/usr/bin/env bash
# Scale benchmark (issue 13, item 4): N RealtimePlatforms created at once on one operator against a
# real kube-apiserver (Service range 10.96.0.0/16) → time until all Ready, the operator's RSS and
# live heap per platform; then the idle duration unchanged → writes to the API server
# (apiserver_request_total) and to AWS (moto behind a recording proxy); then one spec change → time
# to reconcile it while the rest idle.
#
#   test/bench/scale-bench.sh [platforms=1000] [idle-seconds=600] [aws=moto|inmemory]
#   test/bench/scale-bench.sh 100 60          # a quick run
#   OPERATOR_JAVA_OPTIONS="-XX:TieredStopAtLevel=1" test/bench/scale-bench.sh 1000 60   # JVM options for the operator only
#
# Needs the control-plane binaries (built and cached on first use) and moto (the testkit creates
# its venv on first use). Writes test/bench/results/scale-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
test/scripts/kube-binaries.sh kube-apiserver etcd kubectl
./mvnw -q -pl operator -am install -DskipTests
# The benchmark runs with this checkout's modules (target/classes), not the copies in ~/.m2: a run takes half an
# hour, and another build on the machine may install over those meanwhile (classes then vanish mid-run).
./mvnw -q -pl test -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
classpath=$(sed -E "s#[^:]*/dev/lifeline/lifeline-([a-z-]+)/[^:]*\.jar#$PWD/\1/target/classes#g" test/target/bench-classpath.txt)
exec java -Xmx1g -cp "test/target/test-classes:test/target/classes:$classpath" dev.lifeline.test.ScaleBenchmark \
  "${1:-1000}" "${2:-600}" "${3:-moto}"

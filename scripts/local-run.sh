#!/usr/bin/env bash
# Runs Lifeline locally with no cluster and no AWS account: a local kube-apiserver + etcd (the
# pinned binaries, built and cached on first use), the packaged operator, samples/ applied.
# Prints what was created and the status, then keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
test/scripts/kube-binaries.sh
./mvnw -q -DskipTests install
exec ./mvnw -q -pl test exec:java -Dexec.mainClass=dev.lifeline.test.LocalRun -Dexec.args="$*"

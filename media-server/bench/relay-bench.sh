#!/usr/bin/env bash
# Relay throughput and added latency, one relay process driven directly (no signaling, no DynamoDB).
#
#   media-server/bench/relay-bench.sh [rates] [sessions] [seconds]
#
# Pins the relay (one event-loop thread) to CPU 1 and the load generator to CPU 0 with taskset, so
# the relay's figures are for one core. Writes bench/results/relay-<time>.txt (via relay) and
# bench/results/relay-direct-<time>.txt (same generator, no relay: the baseline for added latency).
# RELAY_JAVA_OPTS overrides the relay JVM options (default -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${1:-25000,50000,100000,150000,200000,250000,300000}
SESSIONS=${2:-200}
SECONDS_PER_STEP=${3:-5}
SECRET=bench-secret-0123456789
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
# Always package: a stale jar would benchmark old code.
(cd .. && ./mvnw -q -pl media-server -am package -Dmaven.test.skip=true)
CP="target/quarkus-app/app/*:target/quarkus-app/lib/main/*"
PIN_RELAY="" PIN_GEN=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN_RELAY="taskset -c 1"; PIN_GEN="taskset -c 0"; fi
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

LIFELINE_ROLE=media LIFELINE_INSTANCE_ID=bench-relay LIFELINE_TOKEN_SECRET=$SECRET \
LIFELINE_MEDIA_THREADS=1 LIFELINE_MEDIA_UDP_PORT=$PORT LIFELINE_MEDIA_CAPACITY=10000 LIFELINE_HTTP_PORT=$HTTP \
LIFELINE_DYNAMODB_ENDPOINT=http://127.0.0.1:1 LIFELINE_HEARTBEAT_INTERVAL=3600s AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
  $PIN_RELAY java ${RELAY_JAVA_OPTS:--Xmx512m} -jar target/quarkus-app/quarkus-run.jar > bench/results/relay-$STAMP.log 2>&1 &
RELAY_PID=$!
trap 'kill $RELAY_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done

$PIN_GEN java -cp "$CP" dev.lifeline.media.load.RelayBenchmark --relay 127.0.0.1:$PORT --secret $SECRET \
  --sessions $SESSIONS --seconds $SECONDS_PER_STEP --rates "$RATES" --relay-pid $RELAY_PID \
  --out bench/results/relay-$STAMP.txt
$PIN_GEN java -cp "$CP" dev.lifeline.media.load.RelayBenchmark --direct --secret $SECRET \
  --sessions $SESSIONS --seconds $SECONDS_PER_STEP --rates "$RATES" --out bench/results/relay-direct-$STAMP.txt
curl -s "http://127.0.0.1:$HTTP/q/metrics" | grep -E '^lifeline_relay_(packets|native|sockets)' > bench/results/relay-$STAMP.metrics || true
echo "# relay JVM options: ${RELAY_JAVA_OPTS:--Xmx512m}" >> bench/results/relay-$STAMP.txt
echo "CPU sharing: relay ${PIN_RELAY:-unpinned}, generator ${PIN_GEN:-unpinned}; other load on the machine: $(uptime)" \
  | tee -a bench/results/relay-$STAMP.txt

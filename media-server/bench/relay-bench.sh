#!/usr/bin/env bash
# Relay throughput, added latency and garbage, measured against a reference forwarder in the same run.
#
#   media-server/bench/relay-bench.sh [rates] [sessions] [seconds-per-step] [seconds-at-half-load]
#
# Starts the relay (one relay thread) and the reference forwarder (reference-forwarder.c: recvmmsg/
# sendmmsg, no parsing, the machine's own limit), both pinned to CPU 1, and drives each from
# RelayBenchmark pinned to CPU 0 (taskset): first a sweep over [rates] for each, then a run of
# [seconds-at-half-load] at half of the relay's highest loss-free rate for each, counting the relay's
# young collections. Writes bench/results/relay-<time>.txt with every step and a summary at the end.
# RELAY_JAVA_OPTS overrides the relay JVM options (default -Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${1:-100000,200000,300000,400000,500000,600000,800000}
SESSIONS=${2:-200}
SECONDS_PER_STEP=${3:-5}
HALF_LOAD_SECONDS=${4:-60}
SECRET=bench-secret-0123456789
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/relay-$STAMP.txt
mkdir -p bench/results target/bench
# Always package: a stale jar would benchmark old code.
(cd .. && ./mvnw -q -pl media-server -am package -Dmaven.test.skip=true)
# The reference forwarder is built here with the machine's C compiler, never committed as a binary.
REFERENCE=target/bench/reference-forwarder
if [ ! -x "$REFERENCE" ] || [ bench/reference-forwarder.c -nt "$REFERENCE" ]; then
  cc -O2 -Wall -o "$REFERENCE" bench/reference-forwarder.c
fi
CP="target/quarkus-app/app/*:target/quarkus-app/lib/main/*"
PIN_RELAY="" PIN_GEN=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN_RELAY="taskset -c 1"; PIN_GEN="taskset -c 0"; fi
free_port() { python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.$1); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
PORT=$(free_port SOCK_DGRAM)
HTTP=$(free_port SOCK_STREAM)

LIFELINE_ROLE=media LIFELINE_INSTANCE_ID=bench-relay LIFELINE_TOKEN_SECRET=$SECRET LIFELINE_MEDIA_BIND_HOST=127.0.0.1 \
LIFELINE_MEDIA_THREADS=1 LIFELINE_MEDIA_UDP_PORT=$PORT LIFELINE_MEDIA_CAPACITY=10000 LIFELINE_HTTP_PORT=$HTTP \
LIFELINE_DYNAMODB_ENDPOINT=http://127.0.0.1:1 LIFELINE_HEARTBEAT_INTERVAL=3600s AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
  $PIN_RELAY java ${RELAY_JAVA_OPTS:--Xmx512m} -jar target/quarkus-app/quarkus-run.jar > bench/results/relay-$STAMP.log 2>&1 &
RELAY_PID=$!
REF_PORT_FILE=target/bench/reference-port
$PIN_RELAY "$REFERENCE" 0 > "$REF_PORT_FILE" &
REF_PID=$!
trap 'kill $RELAY_PID $REF_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
for _ in $(seq 1 50); do grep -q port "$REF_PORT_FILE" && break; sleep 0.1; done
REF_PORT=$(awk '/port/ {print $2}' "$REF_PORT_FILE")

bench() { # label port pid rates seconds
  $PIN_GEN java -cp "$CP" dev.lifeline.media.load.RelayBenchmark --relay 127.0.0.1:$2 --secret $SECRET \
    --label "$1" --sessions $SESSIONS --seconds $5 --rates "$4" --relay-pid $3 --out $OUT
}
bench "SWEEP relay" $PORT $RELAY_PID "$RATES" $SECONDS_PER_STEP
bench "SWEEP reference" $REF_PORT $REF_PID "$RATES" $SECONDS_PER_STEP
# Half of the highest rate the relay forwarded with < 0.1 % loss in its sweep (received, not asked for:
# past its limit the generator sends less than the target).
HALF=$(awk '/^# .*SWEEP relay/ {on=1; next} /^# .*SWEEP reference/ {on=0} on && !/^#/ && $4 < 0.1 && $3 > best {best=$3} END {print int(best/2)}' $OUT)
[ "$HALF" -gt 0 ] || HALF=$(echo "$RATES" | cut -d, -f1)
bench "HALF relay" $PORT $RELAY_PID $HALF $HALF_LOAD_SECONDS
bench "HALF reference" $REF_PORT $REF_PID $HALF $HALF_LOAD_SECONDS
curl -s "http://127.0.0.1:$HTTP/q/metrics" | grep -E '^lifeline_relay_(packets|native|batched|sockets)' > bench/results/relay-$STAMP.metrics || true

# Summary: best loss-free throughput of each and its ratio, CPU-normalised throughput, added latency at half load.
awk -v half="$HALF" '
  /^# / { section = ($0 ~ /SWEEP relay/) ? "sr" : ($0 ~ /SWEEP reference/) ? "sf" : ($0 ~ /HALF relay/) ? "hr" : ($0 ~ /HALF reference/) ? "hf" : section; next }
  section == "sr" && $4 < 0.1 && $3 > sr { sr = $3 }
  section == "sf" && $4 < 0.1 && $3 > sf { sf = $3 }
  section == "sr" && $10 > srcpu { srcpu = $10 }
  section == "sf" && $10 > sfcpu { sfcpu = $10 }
  section == "hr" { hr50 = $5; hr99 = $6; hr999 = $7; hrloss = $4; hrgc = $12; hrcpu = $9 }
  section == "hf" { hf50 = $5; hf99 = $6; hf999 = $7; hfloss = $4 }
  END {
    printf "# SUMMARY\n"
    if (sr == 0) printf "# no relay step was loss-free: half load fell back to the first rate (a starved machine?)\n"
    printf "# loss-free (< 0.1 %%) throughput: relay %.0f pps, reference %.0f pps, relay/reference %.0f %% (target >= 70 %%)\n", sr, sf, (sf > 0 ? 100 * sr / sf : 0)
    printf "# packets per CPU-second of the forwarder (best step): relay %.0f, reference %.0f, relay/reference %.0f %%\n", srcpu, sfcpu, (sfcpu > 0 ? 100 * srcpu / sfcpu : 0)
    printf "# at half load (%d pps): relay p50/p99/p99.9 %d/%d/%d us, reference %d/%d/%d us, added %d/%d/%d us (targets 30/500/2000), loss relay %.3f %% reference %.3f %%, relay CPU %.1f %%, relay young GCs %d (target 0)\n", half, hr50, hr99, hr999, hf50, hf99, hf999, hr50 - hf50, hr99 - hf99, hr999 - hf999, hrloss, hfloss, hrcpu, hrgc
  }' $OUT | tee -a $OUT
echo "# relay JVM options: ${RELAY_JAVA_OPTS:--Xmx512m}" >> $OUT
echo "# CPU sharing: relay and reference ${PIN_RELAY:-unpinned}, generator ${PIN_GEN:-unpinned}; other load on the machine: $(uptime)" \
  | tee -a $OUT

# Shared by the full-stack benchmarks (resume-bench.sh, spurious-move-bench.sh); source it, do not run it.
# Builds the media server, starts moto pinned like the server side, and defines:
#   start <role> <id> <pin>   an instance (sets HTTP_PORT, PID), with TABLE and STACK_ENV (extra env) set by the caller
#   await_ready <http-port>
#   PIN_SERVER / PIN_CLIENT   taskset prefixes: server side on CPU 1, load generator on CPU 0 (empty on 1 core)
#   CP, LOGS, STAMP, MOTO_PORT, SECRET, REGION
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECRET=bench-secret-0123456789
REGION=us-east-1
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=target/bench/$STAMP
mkdir -p bench/results "$LOGS"
(cd .. && ./mvnw -q -pl media-server -am package -Dmaven.test.skip=true)
CP="target/quarkus-app/app/*:target/quarkus-app/lib/main/*"
PIN_SERVER="" PIN_CLIENT=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"; fi
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# moto from PATH, else the venv the testkit's MotoServer creates on first use (run the ITs once).
MOTO=$(command -v moto_server || true)
[ -n "$MOTO" ] || MOTO="${XDG_CACHE_HOME:-$HOME/.cache}/lifeline/moto-venv/bin/moto_server"
[ -x "$MOTO" ] || { echo "moto_server not found: pip install 'moto[server]==5.2.1', or run ./mvnw -pl media-server verify once"; exit 1; }
MOTO_PORT=$(free_port tcp)
$PIN_SERVER "$MOTO" -H 127.0.0.1 -p "$MOTO_PORT" > "$LOGS/moto.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$MOTO_PORT/" >/dev/null && break; sleep 0.2; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test

start() { # role id cpu-pin -> sets HTTP_PORT, PID
  HTTP_PORT=$(free_port tcp)
  LIFELINE_ROLE=$1 LIFELINE_INSTANCE_ID=$2 LIFELINE_REGION=$REGION LIFELINE_SESSION_TABLE=$TABLE \
  LIFELINE_DYNAMODB_ENDPOINT=http://127.0.0.1:$MOTO_PORT LIFELINE_TOKEN_SECRET=$SECRET LIFELINE_HTTP_PORT=$HTTP_PORT \
  LIFELINE_MEDIA_UDP_PORT=$(free_port udp) LIFELINE_MEDIA_THREADS=1 LIFELINE_DRAIN_DEADLINE=30s \
    $3 java -Xmx384m -jar target/quarkus-app/quarkus-run.jar > "$LOGS/$2.log" 2>&1 &
  PID=$!
  PIDS+=($PID)
}
await_ready() { for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0; sleep 0.2; done; echo "not ready: $1"; exit 1; }

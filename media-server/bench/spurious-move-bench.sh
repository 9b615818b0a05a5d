#!/usr/bin/env bash
# Spurious moves under load: calls run for N minutes on the full stack (moto, one signaling instance, two relays)
# while CPU hogs compete with the relays for their core, and no relay fails. Every move a client makes is
# spurious; the target is 0.
#
#   media-server/bench/spurious-move-bench.sh [minutes=10] [sessions=50] [participants=2] [hogs=2]
#
# Server side (relays, signaling, moto) and the hogs (busy shell loops, nice 0, as many as `hogs`) are pinned to
# CPU 1; the load generator to CPU 0 (taskset). With 2 hogs the relays get about a third of their core at most.
# Writes bench/results/spurious-<time>.txt.
MINUTES=${1:-10}
SESSIONS=${2:-50}
PARTICIPANTS=${3:-2}
HOGS=${4:-2}
source "$(dirname "$0")/stack.sh"

OUT=bench/results/spurious-$STAMP.txt
TABLE=sessions-spurious-$STAMP
java -cp "$CP" dev.lifeline.media.load.SessionTableSetup "http://127.0.0.1:$MOTO_PORT" $REGION "$TABLE"
start signaling sig "$PIN_SERVER"; SIG_HTTP=$HTTP_PORT
start media relay-a "$PIN_SERVER"; A_HTTP=$HTTP_PORT
start media relay-b "$PIN_SERVER"; B_HTTP=$HTTP_PORT
await_ready $SIG_HTTP; await_ready $A_HTTP; await_ready $B_HTTP
sleep 2 # both relays' first heartbeats reach signaling's directory (refreshed every 0.5 s)
for _ in $(seq 1 "$HOGS"); do
  $PIN_SERVER sh -c 'while :; do :; done' &
  PIDS+=($!)
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
$PIN_CLIENT java -cp "$CP" dev.lifeline.media.load.LoadGenerator --signaling "ws://127.0.0.1:$SIG_HTTP/signal" \
  --secret $SECRET --sessions "$SESSIONS" --participants "$PARTICIPANTS" --seconds $((MINUTES * 60)) --out "$OUT"
{
  echo "no relay failed during the run: every move above is spurious (target 0)"
  echo "CPU sharing: relays, signaling, moto and $HOGS CPU hog(s) (busy shell loops) ${PIN_SERVER:-unpinned}; load generator ${PIN_CLIENT:-unpinned}; load average before the calls $LOAD_BEFORE; $(uptime)"
} | tee -a "$OUT"

#!/usr/bin/env bash
# Relay crash -> media flowing again, and drain -> sessions dropped, on the full stack:
# moto (session table), one signaling instance, two relays, the load generator (client library).
#
#   media-server/bench/resume-bench.sh [sessions] [participants] [seconds] [kill-at] [client-options]
#
# Run 1 SIGKILLs the relay hosting the most sessions at kill-at seconds; run 2 drains a relay.
# client-options go to the load generator: --no-standby measures the path without the standby relay
# (signaling first), for comparison.
# Server side (relays, signaling, moto) is pinned to CPU 1, the load generator to CPU 0 (taskset).
# Writes bench/results/resume-<time>.txt and bench/results/drain-<time>.txt.
SESSIONS=${1:-100}
PARTICIPANTS=${2:-2}
RUN_SECONDS=${3:-20}
KILL_AT=${4:-8}
CLIENT_OPTIONS=${5:-}
source "$(dirname "$0")/stack.sh"

run() { # mode out
  TABLE=sessions-$1-$STAMP
  java -cp "$CP" dev.lifeline.media.load.SessionTableSetup "http://127.0.0.1:$MOTO_PORT" $REGION "$TABLE"
  start signaling sig-$1 "$PIN_SERVER"; SIG_HTTP=$HTTP_PORT
  start media relay-a-$1 "$PIN_SERVER"; A_HTTP=$HTTP_PORT; A_PID=$PID
  start media relay-b-$1 "$PIN_SERVER"; B_HTTP=$HTTP_PORT; B_PID=$PID
  await_ready $SIG_HTTP; await_ready $A_HTTP; await_ready $B_HTTP
  sleep 2 # both relays' first heartbeats reach signaling's directory (refreshed every 0.5 s)
  if [ "$1" = kill ]; then
    EVENT=(--kill-at "$KILL_AT" --relay-pids "relay-a-kill=$A_PID,relay-b-kill=$B_PID")
  else
    EVENT=(--drain-at "$KILL_AT" --drain-url "http://127.0.0.1:$A_HTTP/admin/drain" --drain-relay-id relay-a-drain)
  fi
  # shellcheck disable=SC2086 # CLIENT_OPTIONS is a list of options
  $PIN_CLIENT java -cp "$CP" dev.lifeline.media.load.LoadGenerator --signaling "ws://127.0.0.1:$SIG_HTTP/signal" \
    --secret $SECRET --sessions "$SESSIONS" --participants "$PARTICIPANTS" --seconds "$RUN_SECONDS" \
    "${EVENT[@]}" $CLIENT_OPTIONS --out "$2"
  echo "CPU sharing: relays, signaling, moto ${PIN_SERVER:-unpinned}; load generator ${PIN_CLIENT:-unpinned}; $(uptime)" | tee -a "$2"
}
run kill bench/results/resume-$STAMP.txt
run drain bench/results/drain-$STAMP.txt

#!/usr/bin/env bash
# Checks the image archives of scripts/build-images.sh for real, without a Docker daemon:
#  1. each archive is an OCI archive carrying the tag deploy/ and samples/ use, readable by skopeo
#     (the documented push path) and unpacked by umoci into a runc bundle;
#  2. its config: numeric non-root user, exec-form entrypoint `java ... -jar /app/quarkus-run.jar`
#     with MaxRAMPercentage, no shell needed;
#  3. it RUNS under runc the way the pod templates run it: read-only root file system, /tmp the
#     only writable mount, user 10001, all capabilities dropped, a 512 MiB memory limit:
#     - the JVM sizes its heap from that limit (75 %, about 370 MiB);
#     - the media server (both roles) answers /q/health/live and /q/health/ready;
#     - the operator boots and starts its JOSDK controller (there is no control plane here),
#       proving the fast-jar, its classpath and its configuration work.
# The containers share the host's network namespace (no CNI needed) on free ports.
# Needs root; installs Debian's runc, umoci, skopeo and curl when missing. About 50 s.
# Usage: test/scripts/image-smoke.sh [images-dir]   (default target/images)
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGES_DIR="${1:-target/images}"
TAG="$(sed -n 's:.*<images.tag>\(.*\)</images.tag>.*:\1:p' pom.xml)"
REGISTRY="$(sed -n 's:.*<images.registry>\(.*\)</images.registry>.*:\1:p' pom.xml)"
WORK="$(mktemp -d /tmp/lifeline-image-smoke.XXXXXX)"
RUNC_ROOT="$WORK/runc-state"
log() { echo "[image-smoke] $*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
containers=()
declare -A pids=()
cleanup() {
  for c in "${containers[@]}"; do
    runc --root "$RUNC_ROOT" kill "$c" KILL 2>/dev/null || true
    sleep 0.5
    runc --root "$RUNC_ROOT" delete -f "$c" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || fail "needs root (runc)"
missing=()
for tool in runc umoci skopeo curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  { apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }; } >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Unpacks <name> into $WORK/<name>/bundle and checks its image config. Echoes the bundle dir.
unpack() {
  local name="$1" archive="$IMAGES_DIR/lifeline-$1-$TAG.tar" ref="$REGISTRY/$1:$TAG"
  [ -s "$archive" ] || fail "no archive $archive (run scripts/build-images.sh)"
  mkdir -p "$WORK/$name"
  # The tag inside the archive is the name deploy/ and samples/ use.
  tar -xOf "$archive" index.json | python3 -c '
import json, sys
refs = [m.get("annotations", {}).get("org.opencontainers.image.ref.name") for m in json.load(sys.stdin)["manifests"]]
sys.exit(0 if sys.argv[1] in refs else "archive tags %s, expected %s" % (refs, sys.argv[1]))' "$ref" \
    || fail "$archive"
  skopeo copy --quiet "oci-archive:$archive" "oci:$WORK/$name/layout:smoke" >&2
  umoci unpack --image "$WORK/$name/layout:smoke" "$WORK/$name/bundle" >/dev/null
  python3 - "$WORK/$name/bundle/config.json" "$name" <<'PY' || fail "$name: image config"
import json, sys
spec = json.load(open(sys.argv[1])); p = spec["process"]
problems = []
if p["user"]["uid"] == 0 or p["user"]["gid"] == 0: problems.append("runs as root: %s" % p["user"])
if p["args"][0] != "java" or p["args"][-2:] != ["-jar", "/app/quarkus-run.jar"]: problems.append("entrypoint %s" % p["args"])
if "-XX:MaxRAMPercentage=75" not in p["args"]: problems.append("no MaxRAMPercentage in %s" % p["args"])
if not any(e.startswith("JAVA_HOME=") for e in p["env"]): problems.append("no JAVA_HOME")
# The operator's settings for a small resident set (operator/pom.xml): Jib applied the environment too.
if sys.argv[2] == "operator" and ("-XX:TieredStopAtLevel=1" not in p["args"] or "MALLOC_ARENA_MAX=2" not in p["env"]):
    problems.append("operator: not its memory settings: %s %s" % (p["args"], p["env"]))
if problems: sys.exit("%s: %s" % (sys.argv[2], "; ".join(problems)))
print("[image-smoke] %s: user %d:%d, entrypoint %s" % (sys.argv[2], p["user"]["uid"], p["user"]["gid"], " ".join(p["args"])), file=sys.stderr)
PY
  echo "$WORK/$name/bundle"
}

# Rewrites a bundle's runc spec to run like a restricted pod: read-only root, /tmp as the only
# writable mount, no capabilities, 512 MiB limit, the host's network, extra env, optional args.
restrict() {
  local bundle="$1"; shift
  python3 - "$bundle/config.json" "$@" <<'PY'
import json, sys
path, rest = sys.argv[1], sys.argv[2:]
args = rest[rest.index("--") + 1:] if "--" in rest else None
env = rest[:rest.index("--")] if "--" in rest else rest
spec = json.load(open(path)); p = spec["process"]; linux = spec["linux"]
spec["root"]["readonly"] = True
spec["mounts"] = [m for m in spec["mounts"] if m["destination"] != "/tmp"]
spec["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                       "options": ["nosuid", "nodev", "mode=1777", "size=64m"]})
p["terminal"] = False
p["noNewPrivileges"] = True
p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
p.pop("oomScoreAdj", None)          # root here lacks CAP_SYS_RESOURCE (DESIGN.md)
p.pop("rlimits", None)
p["env"] = [e for e in p["env"] if e.split("=")[0] not in {x.split("=")[0] for x in env}] + env
if args: p["args"] = args
linux["namespaces"] = [n for n in linux["namespaces"] if n["type"] not in ("network", "user")]
linux.setdefault("resources", {})["memory"] = {"limit": 512 * 1024 * 1024}
linux.pop("uidMappings", None); linux.pop("gidMappings", None)
json.dump(spec, open(path, "w"), indent=1)
PY
}

# Runs a bundle in the background; its output goes to $WORK/<id>.log.
start() {
  local id="$1" bundle="$2"
  containers+=("lifeline-$id-$$")
  runc --root "$RUNC_ROOT" run --bundle "$bundle" "lifeline-$id-$$" </dev/null >"$WORK/$id.log" 2>&1 &
  pids[$id]=$!
}

wait_http() {
  local id="$1" url="$2" deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "${pids[$id]}" 2>/dev/null; then
      tail -40 "$WORK/$id.log" >&2; fail "$id: $url did not answer"
    fi
    sleep 1
  done
  log "$id: $url -> $(curl -fsS "$url" | tr -d ' \n' | head -c 120)"
}

started=$SECONDS
media="$(unpack media-server)"
operator="$(unpack operator)"

# The JVM sizes its heap from the container's memory limit (cgroup), not from the host's RAM.
cp -a "$media" "$WORK/jvm-bundle"
restrict "$WORK/jvm-bundle" -- java -XX:MaxRAMPercentage=75 -XshowSettings:vm -version
runc --root "$RUNC_ROOT" run --bundle "$WORK/jvm-bundle" "lifeline-smoke-jvm-$$" </dev/null >"$WORK/jvm.log" 2>&1 \
  || { cat "$WORK/jvm.log" >&2; fail "java -version in the image"; }
heap="$(sed -n 's/.*Max. Heap Size (Estimated): \([0-9.]*\)M.*/\1/p' "$WORK/jvm.log")"
# 75 % of 512 MiB, less the JVM's alignment (371.25M here); the host's RAM would give gigabytes.
python3 -c 'import sys; sys.exit(0 if 300 <= float(sys.argv[1] or 0) <= 384 else 1)' "${heap:-0}" \
  || { cat "$WORK/jvm.log" >&2; fail "heap ${heap:-?}M not sized from the 512 MiB limit"; }
log "java in the image: $(grep -m1 'openjdk version' "$WORK/jvm.log"), heap ${heap}M under a 512 MiB limit"

# Media server, both roles, each answering its health endpoints.
cp -a "$media" "$WORK/signal-bundle"
mport="$(free_port)"; sport="$(free_port)"; udp="$(free_port)"; udp2="$(free_port)"
restrict "$media" LIFELINE_ROLE=media LIFELINE_HTTP_PORT="$mport" LIFELINE_MEDIA_UDP_PORT="$udp" LIFELINE_REGION=us-east-1 \
  LIFELINE_TOKEN_SECRET=smoke-test-secret-0123456789abcdef
restrict "$WORK/signal-bundle" LIFELINE_ROLE=signaling LIFELINE_HTTP_PORT="$sport" LIFELINE_MEDIA_UDP_PORT="$udp2" \
  LIFELINE_REGION=us-east-1 LIFELINE_TOKEN_SECRET=smoke-test-secret-0123456789abcdef
start smoke-media "$media"
start smoke-signaling "$WORK/signal-bundle"
wait_http smoke-media "http://127.0.0.1:$mport/q/health/live"
wait_http smoke-media "http://127.0.0.1:$mport/q/health/ready"
wait_http smoke-signaling "http://127.0.0.1:$sport/q/health/live"

# The operator: no cluster here. It must boot Quarkus (config, CDI, the fast-jar's classpath) and
# start JOSDK's controller, which then tries the (unreachable) API server it was given. Whether
# and when the client reports the refused connection is the client's business, not the image's.
oport="$(free_port)"
restrict "$operator" QUARKUS_HTTP_PORT="$oport" LIFELINE_REGION=us-east-1 KUBERNETES_MASTER=https://127.0.0.1:1
start smoke-operator "$operator"
deadline=$((SECONDS + 90))
until grep -q "Starting 'realtimeplatform' controller" "$WORK/smoke-operator.log"; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "${pids[smoke-operator]}" 2>/dev/null; then
    tail -60 "$WORK/smoke-operator.log" >&2; fail "operator: did not start its controller"
  fi
  sleep 1
done
sleep 5
if grep -qE 'ClassNotFoundException|NoClassDefFoundError|Read-only file system|UnsatisfiedLinkError|AccessDeniedException|ConfigValidationException' "$WORK/smoke-operator.log"; then
  cat "$WORK/smoke-operator.log" >&2; fail "operator: broken image"
fi
log "operator: booted and started its controller (no API server here, by design)"
log "PASS in $((SECONDS - started))s"

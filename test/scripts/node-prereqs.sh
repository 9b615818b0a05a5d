#!/usr/bin/env bash
# Prepares this machine for real kubelet nodes in tests (harness class RealNode, test RealNodeE2E):
#  1. containerd, runc and the CNI plugins (bridge, host-local, portmap, loopback in /usr/lib/cni)
#     from Debian's packages, installed only when missing (needs root and apt);
#  2. the sandbox ("pause") image: test/node/pause.c built with `gcc -static` into a one-layer OCI
#     image archive, written by hand (oci-layout, index.json, manifest, config, one uncompressed
#     layer), cached as $LIFELINE_CACHE/node/pause-<hash of pause.c>.tar. RealNode imports it
#     into its own containerd with `ctr -n k8s.io images import` under the name lifeline.test/pause:1.0.
# The kubelet itself comes from test/scripts/kube-binaries.sh kubelet.
#
# Idempotent: with everything present it only checks and prints the archive's path.
# Usage: test/scripts/node-prereqs.sh            (install and build what is missing)
#        test/scripts/node-prereqs.sh --check    (report what is missing, change nothing; exit 1 if anything is)
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${LIFELINE_CACHE:-$HOME/.cache/lifeline}/node"
PAUSE_SRC="$REPO/test/node/pause.c"
IMAGE_NAME="lifeline.test/pause:1.0"
log() { echo "[node-prereqs] $*" >&2; }

check_only=false
[ "${1:-}" = "--check" ] && check_only=true

missing_packages=()
command -v containerd >/dev/null && command -v ctr >/dev/null || missing_packages+=(containerd)
command -v runc >/dev/null || missing_packages+=(runc)
for plugin in bridge host-local portmap loopback; do
  if [ ! -x "/usr/lib/cni/$plugin" ]; then
    missing_packages+=(containernetworking-plugins)
    break
  fi
done
command -v iptables >/dev/null || missing_packages+=(iptables)

if [ ${#missing_packages[@]} -gt 0 ]; then
  if $check_only; then
    log "missing Debian packages: ${missing_packages[*]} (run test/scripts/node-prereqs.sh as root)"
    exit 1
  fi
  # shellcheck source=../../scripts/lib/debian-packages.sh
  source "$REPO/scripts/lib/debian-packages.sh"
  install_debian_packages "${missing_packages[@]}"
fi
# Debian's containerd package enables a systemd unit; RealNode runs its own containerd and needs no
# system one (without systemd as PID 1 nothing starts it anyway).

hash="$(sha256sum "$PAUSE_SRC" | cut -c1-12)"
archive="$CACHE/pause-$hash.tar"
if [ -f "$archive" ]; then
  log "cached: $archive"
  echo "$archive"
  exit 0
fi
if $check_only; then
  log "pause image missing: $archive (run test/scripts/node-prereqs.sh)"
  exit 1
fi
command -v gcc >/dev/null || { log "gcc is needed to build the pause image (apt-get install gcc libc6-dev)"; exit 1; }

mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/pause-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/image/blobs/sha256"
gcc -static -O2 -s -o "$work/rootfs/pause" "$PAUSE_SRC"
# A reproducible layer: sorted, root-owned, epoch timestamps.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$work/rootfs" -cf "$work/layer.tar" pause

blob() { # file media-type -> writes the blob, prints a descriptor
  local digest size
  digest="$(sha256sum "$1" | cut -d' ' -f1)"
  size="$(stat -c %s "$1")"
  cp "$1" "$work/image/blobs/sha256/$digest"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$2" "$digest" "$size"
}
layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
layer="$(blob "$work/layer.tar" application/vnd.oci.image.layer.v1.tar)"
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"gcc -static test/node/pause.c"}]}' \
  "$layer_digest" > "$work/config.json"
config="$(blob "$work/config.json" application/vnd.oci.image.config.v1+json)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
  "$config" "$layer" > "$work/manifest.json"
manifest="$(blob "$work/manifest.json" application/vnd.oci.image.manifest.v1+json)"
printf '{"schemaVersion":2,"manifests":[%s]}' \
  "${manifest%\}},\"annotations\":{\"io.containerd.image.name\":\"$IMAGE_NAME\",\"org.opencontainers.image.ref.name\":\"1.0\"},\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}" \
  > "$work/image/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/image/oci-layout"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/image" -cf "$work/pause.tar" .
mv "$work/pause.tar" "$archive"
log "built $archive ($(stat -c %s "$archive") bytes, image $IMAGE_NAME)"
echo "$archive"

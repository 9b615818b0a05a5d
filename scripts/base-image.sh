#!/usr/bin/env bash
# Provides the base image of Lifeline's images: Debian bookworm (debootstrap --variant=minbase)
# with a headless Java 17 runtime, a non-root user 10001 and no package caches or docs, as an
# image archive that Jib reads as its base (`tar://...`, the `docker save` layout Jib 3.5 reads).
#
# No Docker daemon and no container registry are needed: the root file system is made with
# debootstrap from the Debian mirror this machine's apt already uses (read at run time from
# `apt-cache policy`, or LIFELINE_DEBIAN_MIRROR / LIFELINE_DEBIAN_SECURITY_MIRROR), then umoci
# turns it into an OCI image and skopeo writes the archive. The image keeps no apt sources.
#
# Idempotent: a cached archive is kept (delete it, or set LIFELINE_BASE_REBUILD=1, to rebuild);
# everything is made in a scratch directory and the archive is renamed into place at the end,
# so an interrupted build leaves nothing half-written behind.
# Needs root (debootstrap, chroot); installs Debian's debootstrap, umoci and skopeo when missing.
# Cold build on 2 cores: about 3-5 minutes (see README "Container images").
# Prints the archive's path on stdout.
set -euo pipefail

SUITE=bookworm
# Bump the version when the recipe below changes: the cache is keyed by it.
BASE_VERSION="${LIFELINE_BASE_VERSION:-17-bookworm-2}"
BASE_NAME="lifeline/base-jre"
CACHE_DIR="${LIFELINE_BASE_IMAGE_DIR:-$HOME/.cache/lifeline/base-image}"
ARCHIVE="$CACHE_DIR/base-jre-$BASE_VERSION.tar"
APP_UID=10001

log() { echo "[base-image] $*" >&2; }

if [ -s "$ARCHIVE" ] && [ "${LIFELINE_BASE_REBUILD:-0}" != 1 ]; then
  log "cached: $ARCHIVE"
  echo "$ARCHIVE"
  exit 0
fi

[ "$(id -u)" = 0 ] || { log "needs root (debootstrap, chroot)"; exit 2; }
# Debian's packages, installed when missing (as test/scripts/kube-binaries.sh builds what is missing).
missing=()
for tool in debootstrap umoci skopeo; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  # shellcheck source=lib/debian-packages.sh
  source "$(dirname "$0")/lib/debian-packages.sh"
  install_debian_packages "${missing[@]}"
fi

# The mirror apt uses here for <suite>/main, e.g. the URI of `deb <uri> bookworm main`.
apt_mirror() {
  apt-cache policy 2>/dev/null | awk -v s="$1/main" '$3 == s && $4 == "amd64" { print $2; exit }'
}
MIRROR="${LIFELINE_DEBIAN_MIRROR:-$(apt_mirror "$SUITE")}"
SECURITY_MIRROR="${LIFELINE_DEBIAN_SECURITY_MIRROR:-$(apt_mirror "$SUITE-security")}"
[ -n "$MIRROR" ] || { log "no apt source for $SUITE/main found; set LIFELINE_DEBIAN_MIRROR"; exit 2; }

mkdir -p "$CACHE_DIR"
WORK="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
ROOTFS="$WORK/rootfs"
cleanup() {
  # Unmount whatever debootstrap or this script left mounted inside (deepest first); never
  # delete through a mount that is still there.
  local m
  for m in $(awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  if awk -v w="$WORK/" 'index($2, w) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    log "left $WORK in place: something is still mounted inside"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
started=$SECONDS

log "debootstrap $SUITE (minbase) + openjdk-17-jre-headless"
debootstrap --variant=minbase --include=openjdk-17-jre-headless \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -30 "$WORK/debootstrap.log" >&2; [ -f "$ROOTFS/debootstrap/debootstrap.log" ] && tail -30 "$ROOTFS/debootstrap/debootstrap.log" >&2; exit 1; }
log "debootstrap done in $((SECONDS - started))s"

# Security and point-release updates, with sources that live only for this step.
{
  echo "deb $MIRROR $SUITE main"
  echo "deb $MIRROR $SUITE-updates main"
  if [ -n "$SECURITY_MIRROR" ]; then echo "deb $SECURITY_MIRROR $SUITE-security main"; fi
} > "$ROOTFS/etc/apt/sources.list"
mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get -qq update && apt-get -qq -y -o Dpkg::Options::=--force-confold upgrade' >"$WORK/upgrade.log" 2>&1 \
  || { tail -30 "$WORK/upgrade.log" >&2; exit 1; }
umount "$ROOTFS/proc"

# The application user: numeric, so that `runAsNonRoot: true` can verify it.
echo "lifeline:x:$APP_UID:$APP_UID:lifeline:/tmp:/usr/sbin/nologin" >> "$ROOTFS/etc/passwd"
echo "lifeline:x:$APP_UID:" >> "$ROOTFS/etc/group"
echo "lifeline:!:20000::::::" >> "$ROOTFS/etc/shadow"

# Strip what a runtime image does not need.
rm -f "$ROOTFS/etc/apt/sources.list"
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
  "$ROOTFS"/var/log/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/usr/share/lintian "$ROOTFS"/usr/share/locale/* "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/* \
  "$ROOTFS"/root/.cache "$ROOTFS/debootstrap"
# Not used at run time: javac's symbol table, and the class-data archive for heaps over 32 GiB.
rm -f "$ROOTFS"/usr/lib/jvm/java-17-openjdk-*/lib/ct.sym "$ROOTFS"/usr/lib/jvm/java-17-openjdk-*/lib/server/classes_nocoops.jsa
chmod 1777 "$ROOTFS/tmp"
mkdir -p "$ROOTFS/app"
JAVA_HOME_DIR="$(cd "$ROOTFS" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)"
[ -x "$ROOTFS/$JAVA_HOME_DIR/bin/java" ] || { log "no java in the root file system"; exit 1; }
log "root file system: $(du -sh "$ROOTFS" | cut -f1)"

# OCI image: one layer holding the whole root file system, then the runtime config.
LAYOUT="$WORK/oci"
umoci init --layout "$LAYOUT"
umoci new --image "$LAYOUT:base"
umoci insert --image "$LAYOUT:base" "$ROOTFS" / >/dev/null
umoci config --image "$LAYOUT:base" \
  --config.user "$APP_UID:$APP_UID" \
  --config.workingdir /app \
  --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=/$JAVA_HOME_DIR" \
  --config.env "LANG=C.UTF-8" \
  --config.label "org.opencontainers.image.title=$BASE_NAME" \
  --config.label "org.opencontainers.image.description=Debian $SUITE minbase, openjdk-17-jre-headless, user $APP_UID" \
  --history.created_by "scripts/base-image.sh (debootstrap $SUITE minbase + openjdk-17-jre-headless)"
umoci gc --layout "$LAYOUT"

skopeo copy --quiet "oci:$LAYOUT:base" "docker-archive:$WORK/base.tar:$BASE_NAME:$BASE_VERSION"
mv "$WORK/base.tar" "$ARCHIVE"
log "built $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)) in $((SECONDS - started))s"
echo "$ARCHIVE"

#!/usr/bin/env bash
# Builds the two image archives, without a Docker daemon and without a registry:
#   target/images/lifeline-operator-<tag>.tar      tagged ghcr.io/lifeline/operator:<tag>
#   target/images/lifeline-media-server-<tag>.tar  tagged ghcr.io/lifeline/media-server:<tag>
# (<tag> is images.tag in pom.xml; deploy/ and samples/ name these images.)
#
# 1. scripts/base-image.sh provides the base (Debian bookworm minbase + Java 17 runtime, user
#    10001), built once with debootstrap and cached in ~/.cache/lifeline/base-image/.
# 2. Maven packages both Quarkus apps (fast-jar) and, with the `images` profile, Jib writes each
#    image as an OCI archive on top of that base (pom.xml, jib-maven-plugin).
#
# Load an archive into containerd with `ctr -n k8s.io images import <tar>`, into kind with
# `kind load image-archive <tar>`, into minikube with `minikube image load <tar>`, or push it with
# `skopeo copy oci-archive:<tar> docker://<registry>/<name>:<tag>` (see README "Container images").
# Extra arguments go to Maven. Needs root for the first (base image) build only.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[build-images] $*" >&2; }

started=$SECONDS
base="$(scripts/base-image.sh)"
./mvnw -B -q -Pimages -pl operator,media-server -am package -DskipTests \
  -Dimages.base="$base" "$@"
log "built in $((SECONDS - started))s:"
ls -l target/images/*.tar >&2

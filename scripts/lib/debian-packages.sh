# Sourced by the project's scripts that need Debian packages (lua5.1, chromium, containerd, runc,
# the CNI plugins, debootstrap, umoci, skopeo): one way to install what is missing.
#
#   install_debian_packages <package>...
#
# Installs with apt-get (as root, or through `sudo -n`), waiting for another apt run's lock rather
# than failing, and refreshes the package lists once when the first attempt fails because they are
# missing or stale (a brand-new machine). Output goes to stderr; returns non-zero with a message
# saying what to install by hand when it cannot.
install_debian_packages() {
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "[debian-packages] no apt-get here: install $* by hand" >&2
    return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo -n)
    else
      echo "[debian-packages] installing $* needs root (apt-get install -y $*)" >&2
      return 1
    fi
  fi
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600)
  echo "[debian-packages] installing $*" >&2
  if ! "${apt[@]}" install -y --no-install-recommends "$@" >&2; then
    echo "[debian-packages] install failed; refreshing the package lists and trying once more" >&2
    "${apt[@]}" update >&2 && "${apt[@]}" install -y --no-install-recommends "$@" >&2
  fi
}

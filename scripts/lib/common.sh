# shellcheck shell=bash
# Shared helpers for the bash scripts in scripts/. Source it; it defines functions only.
#
# The scripts must work as root on a fresh Debian 12 / Ubuntu machine that has only node and npm
# (CI runs there), and as a developer with sudo. Anything missing is installed from apt or npm.

# Messages go to stderr so that a script's stdout stays usable (test.sh's last line is the summary).
log() { printf '[%s] %s\n' "${SKRIPTOTEKET_LOG_TAG:-skriptoteket}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command as root: directly when we are root, through non-interactive sudo otherwise.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "needs root to run: $* (run as root, or give this user password-less sudo)"
  fi
}

# Installs Debian packages. `apt-get update` runs at most once per script run, and only when
# something must be installed; the flag is exported so nested scripts (build.sh from test.sh) see it.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand (Debian/Ubuntu expected)"
  if [[ "${SKRIPTOTEKET_APT_UPDATED:-}" != 1 ]]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    export SKRIPTOTEKET_APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

# True when version $1 >= version $2 (dotted numbers, e.g. 1.4.5).
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

# Absolute path of the repository root (the folder holding package.json).
repo_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

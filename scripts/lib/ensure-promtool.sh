# shellcheck shell=bash
# ensure_promtool: Prometheus's `promtool` for the check of src/ops/prometheus-alerts.yml, exported
# as SKRIPTOTEKET_PROMTOOL. Only the binary is unpacked from Debian's prometheus package into a cache
# folder: installing the package would also start a Prometheus server on the test machine.
# Source and call, or run directly.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_promtool() {
  local found cache="${XDG_CACHE_HOME:-$HOME/.cache}/skriptoteket/prometheus-deb"
  if found="$(command -v promtool)"; then
    export SKRIPTOTEKET_PROMTOOL="$found"
    return 0
  fi
  if [[ ! -x "$cache/usr/bin/promtool" ]]; then
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install promtool (Prometheus) by hand"
    if [[ "${SKRIPTOTEKET_APT_UPDATED:-}" != 1 ]]; then
      log "apt-get update"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
      export SKRIPTOTEKET_APT_UPDATED=1
    fi
    local tmp
    tmp="$(mktemp -d)"
    log "apt-get download prometheus (for promtool only)"
    (cd "$tmp" && apt-get download -q prometheus >&2) || { rm -rf "$tmp"; die "cannot download the prometheus package"; }
    mkdir -p "$cache"
    dpkg-deb -x "$tmp"/prometheus_*.deb "$cache"
    rm -rf "$tmp"
    [[ -x "$cache/usr/bin/promtool" ]] || die "the prometheus package holds no usr/bin/promtool"
  fi
  export SKRIPTOTEKET_PROMTOOL="$cache/usr/bin/promtool"
  log "promtool ready: $("$SKRIPTOTEKET_PROMTOOL" --version 2>&1 | head -n1)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_promtool
fi

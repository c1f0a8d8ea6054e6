# shellcheck shell=bash
# ensure_chromium: Debian's Chromium at /usr/bin/chromium for the browser tests (playwright-core
# drives it; the npm registry has no browser builds we could download). Fonts make screenshots
# readable and give text a real width in layout checks. Source and call, or run directly.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then
    return 0
  fi
  apt_install chromium fonts-dejavu-core fonts-liberation
  [[ -x /usr/bin/chromium ]] || die "chromium installed but /usr/bin/chromium is missing"
  log "chromium ready: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_chromium
fi

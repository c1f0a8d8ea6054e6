# shellcheck shell=bash
# ensure_bun: puts bun >= 1.4.5 on PATH, installing bun@1.4.5 from the npm registry when it is
# missing or older (the only registry we reach besides apt). Source this file and call ensure_bun,
# or run it directly: bash scripts/lib/ensure-bun.sh
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SKRIPTOTEKET_BUN_VERSION="${SKRIPTOTEKET_BUN_VERSION:-1.4.5}"

# Prints the version of the bun on PATH, or nothing when there is none or it does not run.
installed_bun_version() {
  command -v bun >/dev/null 2>&1 || return 0
  bun --version 2>/dev/null | head -n1 || true
}

ensure_bun() {
  local want="$SKRIPTOTEKET_BUN_VERSION" have prefix
  # A bun installed earlier may sit in a folder that is not on this shell's PATH.
  for dir in "$HOME/.bun/bin" "$(npm prefix -g 2>/dev/null || true)/bin"; do
    if [[ -x "$dir/bun" && ":$PATH:" != *":$dir:"* ]]; then PATH="$dir:$PATH"; fi
  done
  export PATH
  have="$(installed_bun_version)"
  if [[ -n "$have" ]] && version_at_least "$have" "$want"; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "bun $want is needed and npm is not installed: install Node.js and npm first"
  if [[ -n "$have" ]]; then log "bun $have is older than $want: installing bun@$want with npm"
  else log "bun is missing: installing bun@$want with npm"; fi
  prefix="$(npm prefix -g)"
  # The global prefix is root's on a stock Debian; a user prefix (npm config) needs no root.
  local npm_as=(as_root)
  if [[ -w "$prefix/lib" || -w "$prefix" ]]; then npm_as=(); fi
  # npm's global bin folder must be on PATH for the check below (a user prefix often is not).
  if [[ ":$PATH:" != *":$prefix/bin:"* ]]; then export PATH="$prefix/bin:$PATH"; fi
  "${npm_as[@]}" npm install -g --no-fund --no-audit "bun@$want" >&2 || true
  hash -r
  have="$(installed_bun_version)"
  if [[ "$have" != "$want" ]]; then
    # npm 11 may skip bun's postinstall (which puts the platform binary in place) and only warn;
    # allowing that one package's script fixes it.
    log "bun --version gave '${have}': retrying with --allow-scripts=bun"
    "${npm_as[@]}" npm install -g --no-fund --no-audit --allow-scripts=bun "bun@$want" >&2
    hash -r
    have="$(installed_bun_version)"
  fi
  if [[ -z "$have" ]] || ! version_at_least "$have" "$want"; then
    die "bun $want did not install (bun --version: '${have}')"
  fi
  log "bun $have ready"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_bun
fi

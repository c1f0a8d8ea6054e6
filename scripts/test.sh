#!/usr/bin/env bash
# Everything CI runs, on a fresh Debian/Ubuntu machine with only node and npm (or a developer's):
# installs what is missing (bun, PostgreSQL, Chromium, promtool; Docker when runner tests exist), builds
# dist/skriptoteket (browser and start-up tests run the real binary), then runs the type checks
# and all tests. The last line printed is `N passed, N failed, N skipped`; the exit code is 0
# only when everything passed.
#
#   ./scripts/test.sh                 everything
#   ./scripts/test.sh src/identity    extra arguments go to `bun test`
#   WITH_DOCKER=1 ./scripts/test.sh   also start Docker (automatic once runner/build-image.sh exists)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SKRIPTOTEKET_LOG_TAG="test"
source scripts/lib/common.sh
source scripts/lib/ensure-bun.sh
source scripts/lib/ensure-postgres.sh
source scripts/lib/ensure-chromium.sh
source scripts/lib/ensure-promtool.sh
source scripts/lib/ensure-docker.sh

# If set-up dies before the tests run, still close with the summary line CI reads.
summary_printed=0
# shellcheck disable=SC2317  # called by the EXIT trap
on_exit() {
  local code=$?
  if [[ $code -ne 0 && $summary_printed -eq 0 ]]; then
    log "set-up failed (exit $code) before any test ran"
    echo "0 passed, 1 failed"
  fi
}
trap on_exit EXIT

ensure_bun
ensure_postgres
ensure_chromium
ensure_promtool
if [[ "${WITH_DOCKER:-0}" == 1 || -f runner/build-image.sh ]]; then
  ensure_docker
  # The execution tests run real containers of the runner image; built from Debian packages
  # (no registry), skipped in 0.1 s when the image is up to date.
  log "runner image (runner/build-image.sh)"
  bash runner/build-image.sh
fi

# A failed build is reported as one failed test instead of stopping here, so the other tests
# still run and say what else is wrong.
if bash scripts/build.sh; then
  export SKRIPTOTEKET_BUILD_RESULT=passed
else
  log "build failed: tests that run dist/skriptoteket will fail too"
  export SKRIPTOTEKET_BUILD_RESULT=failed
fi

summary_printed=1
code=0
bun scripts/test.ts "$@" || code=$?
exit "$code"

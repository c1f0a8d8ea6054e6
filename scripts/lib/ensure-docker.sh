# shellcheck shell=bash
# ensure_docker: a Docker engine that answers `docker info`, for the runner tests.
# Installs docker.io from apt when the client is missing; when no daemon answers (machines and CI
# containers without systemd), starts dockerd in the background and waits for it (bounded). The
# daemon is left running on purpose: the next test run reuses it. Source and call, or run directly.
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SKRIPTOTEKET_DOCKERD_LOG="${SKRIPTOTEKET_DOCKERD_LOG:-/var/log/skriptoteket-dockerd.log}"
SKRIPTOTEKET_DOCKERD_WAIT_SECONDS="${SKRIPTOTEKET_DOCKERD_WAIT_SECONDS:-60}"

docker_answers() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  if docker_answers; then
    return 0
  fi
  if [[ -n "${DOCKER_HOST:-}" ]]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local daemon in its place"
  fi
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    log "starting docker with systemd"
    as_root systemctl start docker || true
  fi
  if ! docker_answers && ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd in the background (log: $SKRIPTOTEKET_DOCKERD_LOG)"
    # setsid: the daemon must outlive this script and not get the terminal's signals.
    # The redirection runs as root too, so the log may live under /var/log.
    # shellcheck disable=SC2016  # $1 expands in the inner shell
    as_root sh -c 'exec setsid nohup dockerd >>"$1" 2>&1 </dev/null' sh "$SKRIPTOTEKET_DOCKERD_LOG" &
    disown || true
  fi
  local waited=0
  until docker_answers; do
    if ((waited >= SKRIPTOTEKET_DOCKERD_WAIT_SECONDS * 2)); then
      tail -n 20 "$SKRIPTOTEKET_DOCKERD_LOG" >&2 2>/dev/null || true
      die "no Docker daemon answered within ${SKRIPTOTEKET_DOCKERD_WAIT_SECONDS} s"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  log "docker ready: server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_docker
fi

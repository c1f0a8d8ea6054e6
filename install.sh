#!/usr/bin/env bash
# Installs Skriptoteket as a systemd service on a Debian/Ubuntu server. Run as root from the
# repository or release folder: it must hold this script, runner/ (the runner image's build) and
# scripts/lib/ (shared shell helpers), and dist/skriptoteket from ./scripts/build.sh (or pass --binary).
#
#   sudo ./install.sh                          install or upgrade, migrate, (re)start the service
#   sudo ./install.sh --binary /tmp/skriptoteket
#   sudo ./install.sh --admin-email it@school.se   e-mail of the first superuser (default: $ADMIN_EMAIL,
#                                                  else admin@<host name>)
#   sudo ./install.sh --no-runner-image        skip building the runner image (runner/build-image.sh)
#   sudo ./install.sh --no-docker              no Docker engine here (e.g. [runner] docker_host elsewhere)
#   sudo ./install.sh --uninstall              remove service and binary; keep config and data
#   sudo ./install.sh --uninstall --purge      also remove config, data and the system user
#   ./install.sh --root /tmp/x --no-start      into a throwaway root (for tests: no user, no systemd,
#                                              no Docker; prints what it would do instead)
#
# What it installs (a re-run upgrades the binary and unit, migrates, restarts, keeps config and data):
#   /usr/local/bin/skriptoteket                    the binary
#   /etc/skriptoteket/skriptoteket.toml            from skriptoteket.example.toml: data_dir set and a
#                                                  generated [server] secret; root:skriptoteket 0640
#   /var/lib/skriptoteket/                         data (SQLite database, files); skriptoteket 0750
#   /etc/systemd/system/skriptoteket.service       hardened unit: runs as the system user skriptoteket
#   docker.io (when missing), enabled and started; the user skriptoteket joins the group docker
#   skriptoteket-runner:latest                     the image tools run in (runner/build-image.sh;
#                                                  the first build takes minutes, later ones 0.1 s)
#   a first superuser when there is no account yet (its password is printed once, at the end)
# It ends with a health check (GET /healthz, up to 30 s), `skriptoteket doctor` and a summary.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/toml-edit.sh
source "$here/scripts/lib/toml-edit.sh"
# ensure_docker (installs docker.io, starts the daemon); also brings common.sh's log/die/apt_install.
# shellcheck source=scripts/lib/ensure-docker.sh
source "$here/scripts/lib/ensure-docker.sh"

SERVICE=skriptoteket
SERVICE_USER=skriptoteket
BIN_PATH=/usr/local/bin/skriptoteket
CONFIG_DIR=/etc/skriptoteket
CONFIG_PATH=$CONFIG_DIR/skriptoteket.toml
DATA_DIR=/var/lib/skriptoteket
UNIT_PATH=/etc/systemd/system/$SERVICE.service

binary="$here/dist/skriptoteket"
example="$here/skriptoteket.example.toml"
root=""
start=1
action=install
purge=0
docker=1
runner_image=1
admin_email="${ADMIN_EMAIL:-}"
# Filled in on the way, for the summary at the end.
created_email=""
created_password=""
health="not checked"

# After sourcing: these replace common.sh's versions, so ensure_docker's messages look like ours.
say() { printf 'install: %s\n' "$*"; }
log() { say "$@"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

# The comment block at the top of this file, without the '#'.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

parse_args() {
while (($#)); do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift ;;
    --binary=*) binary="${1#*=}" ;;
    --example) example="${2:?--example needs a path}"; shift ;;
    --example=*) example="${1#*=}" ;;
    --root) root="${2:?--root needs a folder}"; shift ;;
    --root=*) root="${1#*=}" ;;
    --no-start) start=0 ;;
    --no-docker) docker=0 runner_image=0 ;;
    --no-runner-image) runner_image=0 ;;
    --admin-email) admin_email="${2:?--admin-email needs an address}"; shift ;;
    --admin-email=*) admin_email="${1#*=}" ;;
    --uninstall) action=uninstall ;;
    --purge) purge=1 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

if [[ -n "$root" ]]; then
  mkdir -p "$root"
  root="$(cd "$root" && pwd)"
  # A throwaway root is for checking the files: nothing touches the real system.
  start=0
elif [[ $EUID -ne 0 ]]; then
  die "run as root (sudo ./install.sh), or use --root DIR to install into a folder"
fi
}

systemd_running() { [[ -z "$root" && -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; }

write_unit() {
  local tmp
  tmp="$(mktemp "$root$UNIT_PATH.XXXXXX")"
  cat >"$tmp" <<UNIT
# Written by install.sh; a re-run overwrites it. Local changes: systemctl edit $SERVICE
[Unit]
Description=Skriptoteket, a script hub for schools
Documentation=file://$CONFIG_PATH
After=network-online.target docker.service
Wants=network-online.target

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
ExecStart=$BIN_PATH serve --config $CONFIG_PATH
WorkingDirectory=$DATA_DIR
Restart=on-failure
RestartSec=2
UMask=0027
LimitNOFILE=65536

# Hardening: the process may write only its data folder and has no way to gain privileges.
NoNewPrivileges=true
ProtectSystem=strict
ReadWritePaths=$DATA_DIR
ProtectHome=true
PrivateMounts=true
PrivateTmp=true
PrivateDevices=true
ProtectKernelTunables=true
ProtectKernelModules=true
ProtectKernelLogs=true
ProtectControlGroups=true
ProtectClock=true
ProtectHostname=true
RestrictSUIDSGID=true
RestrictRealtime=true
RestrictNamespaces=true
LockPersonality=true
SystemCallArchitectures=native
ProtectProc=invisible
RemoveIPC=true
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
CapabilityBoundingSet=
AmbientCapabilities=
# Not set on purpose: MemoryDenyWriteExecute (Bun's JavaScript JIT needs writable+executable
# memory) and SystemCallFilter (not yet verified against everything Bun calls).

[Install]
WantedBy=multi-user.target
UNIT
  chmod 0644 "$tmp"
  mv -f "$tmp" "$root$UNIT_PATH"
}

ensure_user() {
  if [[ -n "$root" ]]; then
    say "--root: not creating the system user $SERVICE_USER"
    return
  fi
  if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    say "creating system user $SERVICE_USER"
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "Skriptoteket" "$SERVICE_USER"
  fi
  # Tools run in Docker containers: the service talks to the Docker socket.
  if getent group docker >/dev/null 2>&1; then usermod -aG docker "$SERVICE_USER"; fi
}

# chown only on a real install: a throwaway root has no such user.
own() { if [[ -z "$root" ]]; then chown "$@"; fi; }

write_config() {
  local config="$root$CONFIG_PATH" tmp
  if [[ -f "$config" ]]; then
    say "keeping existing $CONFIG_PATH"
    return
  fi
  [[ -f "$example" ]] || die "no config yet and no example file at $example (pass --example PATH)"
  tmp="$(mktemp "$config.XXXXXX")"
  cp "$example" "$tmp"
  chmod 0640 "$tmp"
  toml_set "$tmp" storage data_dir "\"$DATA_DIR\""
  toml_set "$tmp" server secret "\"$(new_secret)\""
  own "root:$SERVICE_USER" "$tmp"
  mv -f "$tmp" "$config"
  say "wrote $CONFIG_PATH (data_dir = $DATA_DIR, a new secret)"
}

install_binary() {
  [[ -f "$binary" && -x "$binary" ]] || die "no executable at $binary: run ./scripts/build.sh first or pass --binary PATH"
  local tmp
  tmp="$(mktemp "$root$BIN_PATH.XXXXXX")"
  cp "$binary" "$tmp"
  chmod 0755 "$tmp"
  # Renamed into place: a running service keeps its old file, and nothing sees a half-copied one.
  mv -f "$tmp" "$root$BIN_PATH"
  say "installed $BIN_PATH"
}

# Runs the installed binary as the service would: as its user, with its umask (files it creates are
# not readable by other users). Under --root the configured data_dir points at the real system, so
# it is redirected into the root, and there is no user to switch to.
as_service() {
  if [[ -n "$root" ]]; then
    SKRIPTOTEKET_STORAGE_DATA_DIR="$root$DATA_DIR" "$root$BIN_PATH" "$@" --config "$root$CONFIG_PATH"
  else
    (umask 0027 && runuser -u "$SERVICE_USER" -- "$BIN_PATH" "$@" --config "$CONFIG_PATH")
  fi
}

run_migrate() {
  say "migrating the database"
  as_service migrate
}

# Before ensure_user: installing docker.io creates the group docker the service user joins.
ensure_docker_engine() {
  if [[ $docker == 0 ]]; then
    say "--no-docker: not installing or starting a Docker engine"
    return
  fi
  if [[ -n "$root" ]]; then
    say "--root: would install docker.io when missing, then enable and start docker"
    return
  fi
  ensure_docker
  if systemd_running; then systemctl enable docker >/dev/null 2>&1 || say "could not enable docker at boot: systemctl enable docker"; fi
}

build_runner_image() {
  if [[ $runner_image == 0 ]]; then
    say "skipping the runner image (build it later with: sudo $here/runner/build-image.sh)"
    return
  fi
  if [[ -n "$root" ]]; then
    say "--root: would run $here/runner/build-image.sh"
    return
  fi
  say "building the runner image with runner/build-image.sh (the first build takes several minutes)"
  "$here/runner/build-image.sh"
}

# admin@<fully qualified host name>; account e-mails need a dotted domain, so a bare host name gets
# .localdomain (the address is a login name until SMTP is set up; change it in the web UI later).
default_admin_email() {
  local host
  host="$(hostname -f 2>/dev/null || hostname)"
  host="${host,,}"
  [[ "$host" == *.* ]] || host="$host.localdomain"
  printf 'admin@%s\n' "$host"
}

# Only when there is no account at all: a re-run (upgrade) never adds a second one.
ensure_superuser() {
  local users out email
  if ! users="$(as_service user list --json)"; then
    say "could not list the accounts; create the first superuser by hand (see the summary)"
    return
  fi
  if [[ -n "$users" ]]; then
    say "accounts exist already: not creating a superuser"
    return
  fi
  email="${admin_email:-$(default_admin_email)}"
  say "creating the first superuser $email"
  # Without a terminal on stdin the binary generates the password and prints it as "password: …".
  out="$(as_service user create --email "$email" --role superuser </dev/null)" ||
    die "could not create the superuser $email: $out"
  created_email="$email"
  created_password="$(sed -n 's/^password: //p' <<<"$out")"
}

# [server] listen of the installed config (default 0.0.0.0:8080) → the URL of /healthz on this host.
health_url() {
  local listen host port
  listen="$(toml_get "$root$CONFIG_PATH" server listen)"
  listen="${listen//\"/}"
  listen="${listen:-0.0.0.0:8080}"
  port="${listen##*:}"
  host="${listen%:*}"
  host="${host#[}"
  host="${host%]}"
  case "$host" in "" | 0.0.0.0 | "::") host=127.0.0.1 ;; *:*) host="[$host]" ;; esac
  printf 'http://%s:%s/healthz\n' "$host" "$port"
}

# wait_healthy URL SECONDS — true once URL answers 200 within SECONDS.
wait_healthy() {
  local url="$1" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  return 1
}

health_check() {
  local url
  url="$(health_url)"
  if ! command -v curl >/dev/null 2>&1; then
    say "curl is missing: not checking $url (apt-get install curl)"
    health="not checked (no curl)"
  elif wait_healthy "$url" 30; then
    say "health check OK: $url"
    health="OK"
  else
    say "health check FAILED: $url did not answer within 30 s. Last log lines:"
    journalctl -u "$SERVICE" -n 30 --no-pager 2>&1 || true
    health="FAILED (journalctl -u $SERVICE)"
  fi
}

run_doctor() {
  say "skriptoteket doctor:"
  # A failed check is reported, not fatal: e.g. the runner image is missing after --no-runner-image.
  as_service doctor || say "doctor reports a problem (above); fix it and run: $BIN_PATH doctor --config $CONFIG_PATH"
}

summary() {
  local url
  url="$(toml_get "$root$CONFIG_PATH" server public_url)"
  url="${url//\"/}"
  cat <<SUMMARY

Skriptoteket is installed.
  URL:          ${url:-$(health_url | sed 's|/healthz$||')}  (health: $health)
SUMMARY
  if [[ -n "$created_email" ]]; then
    cat <<SUMMARY
  Admin:        $created_email
  Password:     ${created_password:-(see above)}   <- shown only now: store it, change it after logging in
SUMMARY
  else
    cat <<SUMMARY
  Admin:        existing accounts kept. A new superuser:
                runuser -u $SERVICE_USER -- $BIN_PATH user create --config $CONFIG_PATH --email you@school.se --role superuser
SUMMARY
  fi
  cat <<SUMMARY
  Config:       $CONFIG_PATH   (then: systemctl restart $SERVICE)
  Data:         $DATA_DIR
  Logs:         journalctl -u $SERVICE

Next steps:
  1. TLS: put a reverse proxy (Caddy, nginx) with HTTPS in front of it, then in $CONFIG_PATH set
     [server] public_url = "https://skriptoteket.your-school.se" and cookie_secure = true.
  2. E-mail: [email] provider = "smtp" with host, port, user and password of your SMTP server
     (until then, mails are only written to the log).
  3. Backups: run "skriptoteket backup" daily from cron or a systemd timer, and copy the files off
     the machine. E.g. /etc/cron.d/skriptoteket-backup:
       30 2 * * * $SERVICE_USER $BIN_PATH backup --config $CONFIG_PATH --out /var/backups/skriptoteket/skriptoteket-\$(date +\\%F).tar.gz
     (create /var/backups/skriptoteket owned by $SERVICE_USER first, outside the data folder; check one with "skriptoteket backup verify FILE").
  4. Monitoring: scrape /metrics with Prometheus; alert rules: src/ops/prometheus-alerts.yml.
  Upgrade: build or download the new binary and run this script again (config and data are kept).
SUMMARY
}

do_install() {
  mkdir -p "$root/usr/local/bin" "$root$CONFIG_DIR" "$root/etc/systemd/system" "$root$DATA_DIR"
  ensure_docker_engine
  ensure_user
  chmod 0755 "$root$CONFIG_DIR"
  chmod 0750 "$root$DATA_DIR"
  own "$SERVICE_USER:$SERVICE_USER" "$root$DATA_DIR"
  install_binary
  write_config
  write_unit
  say "wrote $UNIT_PATH"
  build_runner_image
  run_migrate
  ensure_superuser
  if [[ $start == 1 ]] && systemd_running; then
    systemctl daemon-reload
    systemctl enable "$SERVICE" >/dev/null
    # Not fatal: the health check below shows the journal, and the password still gets printed.
    if systemctl restart "$SERVICE"; then
      say "service $SERVICE enabled and (re)started: systemctl status $SERVICE"
    else
      say "service $SERVICE did not start"
    fi
    health_check
  elif [[ $start == 1 ]]; then
    say "systemd is not running here: start it by hand with"
    say "  runuser -u $SERVICE_USER -- $BIN_PATH serve --config $CONFIG_PATH"
    health="not checked (service not started)"
  else
    say "not starting the service (--no-start or --root): no health check"
    health="not checked (service not started)"
  fi
  run_doctor
  summary
}

do_uninstall() {
  if systemd_running && [[ -f "$UNIT_PATH" ]]; then
    systemctl disable --now "$SERVICE" >/dev/null 2>&1 || true
  fi
  rm -f "$root$UNIT_PATH" "$root$BIN_PATH"
  if systemd_running; then systemctl daemon-reload; fi
  say "removed the service and $BIN_PATH"
  if [[ $purge == 1 ]]; then
    rm -rf "$root$CONFIG_DIR" "$root$DATA_DIR"
    if [[ -z "$root" ]] && id -u "$SERVICE_USER" >/dev/null 2>&1; then userdel "$SERVICE_USER" || true; fi
    say "purged $CONFIG_DIR, $DATA_DIR and the user $SERVICE_USER"
  else
    say "kept $CONFIG_DIR and $DATA_DIR (add --purge to remove them)"
  fi
}

main() {
  parse_args "$@"
  case "$action" in
    install) do_install ;;
    uninstall) do_uninstall ;;
  esac
}

# Sourcing defines the functions only (the tests call health_url and wait_healthy that way).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi

#!/usr/bin/env bash
# Installs Skriptoteket as a systemd service on a Debian/Ubuntu server. Run as root from a checkout
# where ./scripts/build.sh has made dist/skriptoteket (or pass --binary).
#
#   sudo ./install.sh                          install or upgrade, migrate, (re)start the service
#   sudo ./install.sh --binary /tmp/skriptoteket
#   sudo ./install.sh --uninstall              remove service and binary; keep config and data
#   sudo ./install.sh --uninstall --purge      also remove config, data and the system user
#   ./install.sh --root /tmp/x --no-start      into a throwaway root (for tests: no user, no systemd)
#
# What it installs (a re-run upgrades the binary and unit and keeps the config):
#   /usr/local/bin/skriptoteket                    the binary
#   /etc/skriptoteket/skriptoteket.toml            from skriptoteket.example.toml: data_dir set and a
#                                                  generated [server] secret; root:skriptoteket 0640
#   /var/lib/skriptoteket/                         data (SQLite database, files); skriptoteket 0750
#   /etc/systemd/system/skriptoteket.service       hardened unit: runs as the system user skriptoteket
# Runner image (for running tools in Docker) is installed by a later version of this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/toml-edit.sh
source "$here/scripts/lib/toml-edit.sh"

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

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --binary) binary="${2:?--binary needs a path}"; shift ;;
    --binary=*) binary="${1#*=}" ;;
    --example) example="${2:?--example needs a path}"; shift ;;
    --example=*) example="${1#*=}" ;;
    --root) root="${2:?--root needs a folder}"; shift ;;
    --root=*) root="${1#*=}" ;;
    --no-start) start=0 ;;
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

run_migrate() {
  say "migrating the database"
  if [[ -n "$root" ]]; then
    # Under --root the configured data_dir points at the real system: redirect it into the root.
    SKRIPTOTEKET_STORAGE_DATA_DIR="$root$DATA_DIR" "$root$BIN_PATH" migrate --config "$root$CONFIG_PATH"
  else
    # The service's UMask: files it creates are not readable by other users.
    (umask 0027 && runuser -u "$SERVICE_USER" -- "$BIN_PATH" migrate --config "$CONFIG_PATH")
  fi
}

do_install() {
  mkdir -p "$root/usr/local/bin" "$root$CONFIG_DIR" "$root/etc/systemd/system" "$root$DATA_DIR"
  ensure_user
  chmod 0755 "$root$CONFIG_DIR"
  chmod 0750 "$root$DATA_DIR"
  own "$SERVICE_USER:$SERVICE_USER" "$root$DATA_DIR"
  install_binary
  write_config
  write_unit
  say "wrote $UNIT_PATH"
  run_migrate
  if [[ $start == 1 ]] && systemd_running; then
    systemctl daemon-reload
    systemctl enable "$SERVICE" >/dev/null
    systemctl restart "$SERVICE"
    say "service $SERVICE enabled and (re)started: systemctl status $SERVICE"
  elif [[ $start == 1 ]]; then
    say "systemd is not running here: start it by hand with"
    say "  runuser -u $SERVICE_USER -- $BIN_PATH serve --config $CONFIG_PATH"
  fi
  say "done. First admin: runuser -u $SERVICE_USER -- $BIN_PATH user create --config $CONFIG_PATH --email you@school.se --role superuser"
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

case "$action" in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac

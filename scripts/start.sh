#!/usr/bin/env bash
# Builds Skriptoteket and runs it on this machine, from a fresh checkout, in one command:
#   1. installs bun when it is missing (from npm), then the locked dependencies;
#   2. builds dist/skriptoteket (scripts/build.sh; quick when nothing changed);
#   3. first run only: writes ./skriptoteket.toml from skriptoteket.example.toml with
#      data_dir = "./data" and a generated [server] secret;
#   4. migrates the database and, when it has no user yet, creates the first superuser and
#      prints its e-mail and password (once: only its hash is stored);
#   5. installs and starts Docker when missing and builds the runner image tools run in
#      (runner/build-image.sh, from Debian packages; skipped when up to date);
#   6. loads the tool bank (`skriptoteket seed`: idempotent, never undoes an admin's changes);
#   7. serves the web UI and API (http://localhost:8080 unless the config says otherwise).
# Safe to run again: the config, the data and the users are kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SKRIPTOTEKET_LOG_TAG="start"
source scripts/lib/common.sh
source scripts/lib/ensure-bun.sh
source scripts/lib/toml-edit.sh
source scripts/lib/ensure-docker.sh

CONFIG=./skriptoteket.toml
BIN=./dist/skriptoteket
ADMIN_EMAIL="${SKRIPTOTEKET_ADMIN_EMAIL:-admin@skriptoteket.local}"

ensure_bun
bash scripts/build.sh

if [[ ! -f "$CONFIG" ]]; then
  [[ -f skriptoteket.example.toml ]] || die "skriptoteket.example.toml is missing: cannot write $CONFIG"
  tmp="$(mktemp "$CONFIG.XXXXXX")"
  cp skriptoteket.example.toml "$tmp"
  chmod 0600 "$tmp"
  toml_set "$tmp" storage data_dir '"./data"'
  toml_set "$tmp" server secret "\"$(new_secret)\""
  mv -f "$tmp" "$CONFIG"
  log "wrote $CONFIG (data in ./data); edit it and run this script again to apply changes"
fi

"$BIN" migrate --config "$CONFIG" >&2

# The first superuser, only while the database has no user at all (`user list --json` prints one
# JSON object per user and line).
user_count="$("$BIN" user list --config "$CONFIG" --json | awk 'NF { n++ } END { print n + 0 }')"
if [[ "$user_count" == 0 ]]; then
  # stdin from /dev/null: without a terminal, `user create` generates the password and prints it.
  created="$("$BIN" user create --config "$CONFIG" --email "$ADMIN_EMAIL" --role superuser </dev/null)"
  password="$(printf '%s\n' "$created" | sed -n 's/^password: //p' | head -n1)"
  [[ -n "$password" ]] || die "user create printed no 'password: …' line: $created"
  cat <<EOF

  First superuser created. Note the password now; it is not shown again.
    e-mail:   $ADMIN_EMAIL
    password: $password
  (Forgotten? $BIN user reset-password --config $CONFIG --email $ADMIN_EMAIL)

EOF
fi

# Tools run in containers of the runner image: Docker and the image come before the first run.
ensure_docker
bash runner/build-image.sh

# The tool bank: tools already holding the bank's content are left alone, so this is safe every time.
"$BIN" seed --config "$CONFIG" >&2

log "serving on $(toml_get "$CONFIG" server public_url | tr -d '"' | grep . || echo http://localhost:8080) (Ctrl+C stops)"
exec "$BIN" serve --config "$CONFIG"

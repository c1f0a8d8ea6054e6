# shellcheck shell=bash
# ensure_postgres: a running local PostgreSQL for the tests, and SKRIPTOTEKET_TEST_DATABASE_URL
# exported as postgres://skriptoteket:…@127.0.0.1:<port>/postgres. The role may CREATE DATABASE:
# the test helper (src/store/test-db.ts) makes a fresh database per test file and drops it.
#
# Installs the `postgresql` package from apt when no server is installed, creates and starts the
# cluster with pg_ctlcluster (works without systemd, as in CI containers). A URL already set by the
# caller is kept as it is. Source and call ensure_postgres, or run directly (prints the URL).
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Local test credentials only: the role can log in from loopback and nothing else.
SKRIPTOTEKET_TEST_PG_ROLE="${SKRIPTOTEKET_TEST_PG_ROLE:-skriptoteket}"
SKRIPTOTEKET_TEST_PG_PASSWORD="${SKRIPTOTEKET_TEST_PG_PASSWORD:-skriptoteket-test}"
# Debian's default cluster; another name gives an isolated cluster (used to check this script).
SKRIPTOTEKET_TEST_PG_CLUSTER="${SKRIPTOTEKET_TEST_PG_CLUSTER:-main}"

# Newest installed server major version (e.g. 15), or nothing.
installed_pg_version() {
  local d newest=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x "$d" ]] || continue
    d="${d#/usr/lib/postgresql/}"
    d="${d%%/*}"
    if [[ -z "$newest" ]] || version_at_least "$d" "$newest"; then newest="$d"; fi
  done
  printf '%s' "$newest"
}

# Field $2 (1-based, from `pg_lsclusters -h`: ver cluster port status owner datadir log) of our cluster.
pg_cluster_field() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$SKRIPTOTEKET_TEST_PG_CLUSTER" -v f="$2" '$1 == v && $2 == c { print $f }'
}

ensure_postgres() {
  if [[ -n "${SKRIPTOTEKET_TEST_DATABASE_URL:-}" ]]; then
    log "using SKRIPTOTEKET_TEST_DATABASE_URL from the environment"
    return 0
  fi
  local version port status tries cluster="$SKRIPTOTEKET_TEST_PG_CLUSTER"
  version="$(installed_pg_version)"
  if [[ -z "$version" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql
    version="$(installed_pg_version)"
    [[ -n "$version" ]] || die "postgresql installed but no server binary under /usr/lib/postgresql"
  fi
  if [[ -z "$(pg_cluster_field "$version" 2)" ]]; then
    log "creating PostgreSQL $version cluster '$cluster'"
    as_root pg_createcluster "$version" "$cluster" >&2
  fi
  # /var/run is a tmpfs on many machines: the socket folder may be gone after a reboot.
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  status="$(pg_cluster_field "$version" 4)"
  if [[ "$status" != online* ]]; then
    log "starting PostgreSQL $version cluster '$cluster'"
    as_root pg_ctlcluster "$version" "$cluster" start >&2
  fi
  port="$(pg_cluster_field "$version" 3)"
  tries=0
  until pg_isready -q -h 127.0.0.1 -p "$port"; do
    tries=$((tries + 1))
    ((tries < 60)) || die "PostgreSQL $version did not accept connections on 127.0.0.1:$port within 30 s"
    sleep 0.5
  done
  # Idempotent: creates the role once, then (re)sets its password and rights on every run.
  as_root runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -p "$port" -d postgres \
    -v role="$SKRIPTOTEKET_TEST_PG_ROLE" -v pw="$SKRIPTOTEKET_TEST_PG_PASSWORD" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
SQL
  export SKRIPTOTEKET_TEST_DATABASE_URL="postgres://${SKRIPTOTEKET_TEST_PG_ROLE}:${SKRIPTOTEKET_TEST_PG_PASSWORD}@127.0.0.1:${port}/postgres"
  log "PostgreSQL $version ready on 127.0.0.1:$port (role $SKRIPTOTEKET_TEST_PG_ROLE)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_postgres
  printf '%s\n' "$SKRIPTOTEKET_TEST_DATABASE_URL"
fi

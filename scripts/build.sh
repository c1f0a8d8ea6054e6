#!/usr/bin/env bash
# Turns a checkout into ONE file, dist/skriptoteket: the server, the CLI, the migrations and the
# built web UI, compiled by Bun. Idempotent; a second run with nothing changed only checks.
#
#   ./scripts/build.sh           build when sources changed since the last build
#   ./scripts/build.sh --force   build even when nothing changed
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SKRIPTOTEKET_LOG_TAG="build"
source scripts/lib/common.sh
source scripts/lib/ensure-bun.sh

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

out=dist/skriptoteket
stamp=dist/.build-inputs.sha256

# A hash over every file that can change the binary. Generated files (ui/dist, src/assets.gen.js)
# follow from the others, and tests are never bundled, so neither is hashed.
input_hash() {
  {
    bun --version
    # `|| true`: a missing input (say, before the UI exists) must not abort under pipefail.
    { find src ui migrations scripts/build.sh scripts/gen-migrations.ts scripts/gen-assets.ts scripts/gen-script-bank.ts \
      package.json bun.lock bunfig.toml tsconfig.json \
      \( -path ui/dist -o -path ui/node_modules \) -prune -o \
      -type f ! -name '*.test.ts' ! -path src/assets.gen.js -print0 2>/dev/null || true; } |
      LC_ALL=C sort -z | xargs -0 -r sha256sum
  } | sha256sum | cut -d' ' -f1
}

ensure_bun

# 1. Dependencies, exactly as locked. Skipped when node_modules was installed from this very lock.
lock_hash="$(cat package.json bun.lock | sha256sum | cut -d' ' -f1)"
if [[ ! -d node_modules || "$(cat node_modules/.skriptoteket-lock.sha256 2>/dev/null)" != "$lock_hash" ]]; then
  log "bun install --frozen-lockfile"
  bun install --frozen-lockfile >&2
  printf '%s\n' "$lock_hash" >node_modules/.skriptoteket-lock.sha256
fi

hash_now="$(input_hash)"
if [[ $force == 0 && -x "$out" && "$(cat "$stamp" 2>/dev/null)" == "$hash_now" ]]; then
  log "up to date: $out ($(du -h "$out" | cut -f1), inputs unchanged; --force rebuilds)"
  exit 0
fi

[[ -f ui/vite.config.ts ]] || die "ui/vite.config.ts is missing: the web UI cannot be built"
[[ -f scripts/gen-assets.ts ]] || die "scripts/gen-assets.ts is missing: the UI cannot be embedded"

started=$(date +%s%N)
# 2. The web UI → ui/dist. Vite runs under Bun (no separate Node toolchain needed).
log "vite build (ui → ui/dist)"
bun --bun node_modules/vite/bin/vite.js build --config ui/vite.config.ts --logLevel warn >&2

# 3. Embed what the binary cannot read from disk at run time: SQL migrations and UI files.
log "embedding migrations and UI assets"
bun scripts/gen-migrations.ts
bun scripts/gen-script-bank.ts
bun scripts/gen-assets.ts

# 4. One self-contained executable. --bytecode starts ≈3× faster; it needs --format=esm because the
#    code uses top-level await (stack-notes §8). --splitting keeps what `import()` loads on demand
#    (Docker client, PDF reader, SMTP, the other commands) in separate embedded chunks, so `serve` does
#    not load their code at start (cold start 83 → 73 ms, idle RSS 92 → 88 MiB). The PDF text worker
#    thread is a second entrypoint (src/documents/pdf-text-pool.ts names it).
log "bun build --compile → $out"
mkdir -p dist
rm -f "$stamp"
bun build --compile --splitting --minify --bytecode --format=esm src/main.ts src/documents/pdf-text.worker.ts --outfile "$out" >&2
# Hashed again now: the generators above may have rewritten migrations/*/embedded.ts.
input_hash >"$stamp"

size_bytes=$(stat -c %s "$out")
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
log "built $out: $(awk -v b="$size_bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }') in ${elapsed_ms} ms"

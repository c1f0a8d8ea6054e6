#!/usr/bin/env bash
# build-image.sh - build the Skriptoteket runner image (tool contract v2) from Debian packages with
# debootstrap + `docker import`: no container registry needed, only a Debian mirror.
#
#   sudo runner/build-image.sh                     build skriptoteket-runner:latest if out of date
#   sudo FORCE=1 runner/build-image.sh             rebuild unconditionally
#   CHECK=1 runner/build-image.sh                  exit 0 if the image is up to date, 3 if not (no root needed)
#   sudo MIRROR=http://mirror.school.local/debian SECURITY_MIRROR=none runner/build-image.sh
#
# Idempotent: the image carries a build-hash label over this script, the package list, the suite,
# the uid, the stubs, packages.txt, the harness files in runner/harness/ and a refresh key. When the existing image
# has the same hash nothing is done (≈0.1 s). REFRESH defaults to the ISO week, so a weekly run (cron,
# install.sh) picks up Debian security updates.
#
# Settings (environment):
#   IMAGE            image tag                                       skriptoteket-runner:latest
#   SUITE            Debian suite                                    bookworm
#   MIRROR           Debian mirror; default: the host's apt config, else deb.debian.org
#   SECURITY_MIRROR  security mirror, or "none" to leave it out      <MIRROR>-security
#   UPDATES          1: also use <SUITE>-updates                     1
#   DEBOOTSTRAP_OPTS extra debootstrap options (e.g. --keyring=/path/local-mirror.gpg)
#   SCRATCH          work folder (≈1.5 GB; not noexec/nodev)         /var/tmp/skriptoteket-runner-build
#   RUNNER_UID       uid/gid of the user scripts run as              10001
#   WITH_PANDAS      python3-pandas (+numpy)                         1   (≈ +90 MB)
#   WITH_MATPLOTLIB  python3-matplotlib                              1   (≈ +120 MB)
#   WITH_PANDOC      pandoc + python3-pypandoc                       1   (≈ +170 MB, one Haskell binary)
#   EXTRA_PKGS       more Debian packages to install
#   STUBS            packages the stub package provides ("" = install the real ones); packages.txt
#   REFRESH, FORCE   refresh key (ISO week) / 1 = rebuild anyway
#
# Needs (except CHECK=1): root, the docker CLI and a daemon, a reachable Debian mirror, and
# debootstrap + debian-archive-keyring (installed with the host's apt-get when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HARNESS_DIR="$here/harness"

IMAGE="${IMAGE:-skriptoteket-runner:latest}"
SUITE="${SUITE:-bookworm}"
SCRATCH="${SCRATCH:-/var/tmp/skriptoteket-runner-build}"
RUNNER_UID="${RUNNER_UID:-10001}"
WITH_PANDAS="${WITH_PANDAS:-1}"
WITH_MATPLOTLIB="${WITH_MATPLOTLIB:-1}"
WITH_PANDOC="${WITH_PANDOC:-1}"
EXTRA_PKGS="${EXTRA_PKGS:-}"
REFRESH="${REFRESH:-$(date +%G-W%V)}"
FORCE="${FORCE:-0}"
CHECK="${CHECK:-0}"
UPDATES="${UPDATES:-1}"
DEBOOTSTRAP_OPTS="${DEBOOTSTRAP_OPTS:-}"
# The package list and the stubs live in packages.txt (shared with the Dockerfile), with the
# reason for every stub. The stub package provides dependencies that are never used at run time,
# so apt does not drag in perl, sympy, Tcl/Tk, pip and friends. STUBS="" installs the real ones.
PACKAGES_FILE="$here/packages.txt"
[ -f "$PACKAGES_FILE" ] || { echo "missing $PACKAGES_FILE" >&2; exit 1; }
packages_of() { # packages of the given groups, space-separated
  awk -v groups=" $* " '!/^#/ && NF >= 2 && index(groups, " " $1 " ") { printf "%s ", $2 }' "$PACKAGES_FILE"
}
stub_provides() { # "a, b (= 1.0), c" for the stub package's Provides field
  awk '!/^#/ && $1 == "stub" { printf "%s%s%s", sep, $2, (NF >= 3 ? " (= " $3 ")" : ""); sep = ", " }' "$PACKAGES_FILE"
}
STUBS="${STUBS-$(stub_provides)}"
MIRROR="${MIRROR:-}"
SECURITY_MIRROR="${SECURITY_MIRROR:-}"

groups="core"
[ "$WITH_PANDAS" = 1 ] && groups="$groups pandas"
[ "$WITH_MATPLOTLIB" = 1 ] && groups="$groups matplotlib"
[ "$WITH_PANDOC" = 1 ] && groups="$groups pandoc"
PKGS="$(packages_of "$groups") $EXTRA_PKGS"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The harness files that go into the image: runner/harness/*.py without the tests.
harness_files() {
  find "$HARNESS_DIR" -maxdepth 1 -type f -name '*.py' ! -name 'test_*.py' -printf '%f\n' | LC_ALL=C sort
}
[ -n "$(harness_files)" ] || die "no harness files in $HARNESS_DIR"

BUILD_HASH="$(
  {
    printf '%s\n' "$SUITE" "$RUNNER_UID" "$REFRESH" "$STUBS" "$PKGS"
    cat "${BASH_SOURCE[0]}" "$PACKAGES_FILE"
    (cd "$HARNESS_DIR" && harness_files | xargs sha256sum)
  } | sha256sum | cut -c1-16
)"
current_hash="$(docker image inspect "$IMAGE" --format '{{ index .Config.Labels "org.skriptoteket.build-hash" }}' 2>/dev/null || true)"
if [ "$CHECK" = 1 ]; then
  if [ "$current_hash" = "$BUILD_HASH" ]; then
    log "$IMAGE is up to date (build-hash $BUILD_HASH)"
    exit 0
  fi
  log "$IMAGE needs a build (image: ${current_hash:-none}, wanted: $BUILD_HASH)"
  exit 3
fi
if [ "$FORCE" != 1 ] && [ "$current_hash" = "$BUILD_HASH" ]; then
  log "$IMAGE is up to date (build-hash $BUILD_HASH); FORCE=1 to rebuild"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and mount need it)"
export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v debootstrap >/dev/null || [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
  # a fresh CI machine or an Ubuntu host: the build tools come from the host's own apt
  command -v apt-get >/dev/null || die "debootstrap and debian-archive-keyring are missing"
  log "installing debootstrap and debian-archive-keyring with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends debootstrap debian-archive-keyring >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap debian-archive-keyring >/dev/null; } ||
    die "could not install debootstrap"
fi
docker info >/dev/null 2>&1 || die "no Docker daemon answers"

# Mirror: first non-security URI that serves $SUITE in the host's apt config (deb822 or one-line).
detect_mirror() {
  local m=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    m=$(awk -v s="$SUITE" '
      function flush() { if (!done && uri != "" && ok && uri !~ /security/) { print uri; done = 1; exit } uri = ""; ok = 0 }
      FNR == 1 { flush() }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) ok = 1 }
      END { flush() }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk -v s="$SUITE" '$1 == "deb" && $0 !~ /security/ {
          for (i = 3; i <= NF; i++) if ($i == s) { print $(i-1); exit } }' /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}
[ -n "$MIRROR" ] || MIRROR="$(detect_mirror)"
if [ -z "$SECURITY_MIRROR" ]; then
  case "$MIRROR" in
    */debian | */debian/) SECURITY_MIRROR="${MIRROR%/}-security" ;;
    *) SECURITY_MIRROR="http://deb.debian.org/debian-security" ;;
  esac
fi

ROOTFS="$SCRATCH/rootfs"
DEBCACHE="$SCRATCH/debootstrap-cache" # kept between runs: .debs are not downloaded again
APTCACHE="$SCRATCH/apt-archives"
mkdir -p "$SCRATCH" "$DEBCACHE" "$APTCACHE/partial"

# One build at a time per scratch folder (a test run and an admin may start one together): wait
# for the other, then check again, since it has probably just built the same image.
exec 9>"$SCRATCH/.lock"
if ! flock -n 9; then
  log "another build is using $SCRATCH; waiting for it"
  flock 9
  if [ "$FORCE" != 1 ] && [ "$(docker image inspect "$IMAGE" --format '{{ index .Config.Labels "org.skriptoteket.build-hash" }}' 2>/dev/null || true)" = "$BUILD_HASH" ]; then
    log "$IMAGE is up to date now (build-hash $BUILD_HASH)"
    exit 0
  fi
fi

cleanup_mounts() {
  for m in "$ROOTFS/var/cache/apt/archives" "$ROOTFS/proc"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m" || true; fi
  done
}
trap cleanup_mounts EXIT

started=$SECONDS
log "image=$IMAGE mirror=$MIRROR security=$SECURITY_MIRROR hash=$BUILD_HASH"
cleanup_mounts
rm -rf "$ROOTFS"

log "debootstrap --variant=minbase $SUITE"
# shellcheck disable=SC2086
debootstrap --variant=minbase --cache-dir="$DEBCACHE" $DEBOOTSTRAP_OPTS "$SUITE" "$ROOTFS" "$MIRROR" \
  >"$SCRATCH/debootstrap.log" 2>&1 || {
  tail -n 30 "$SCRATCH/debootstrap.log" >&2
  exit 1
}

{
  echo "deb $MIRROR $SUITE main"
  [ "$UPDATES" = 1 ] && echo "deb $MIRROR $SUITE-updates main"
  [ "$SECURITY_MIRROR" != none ] && echo "deb $SECURITY_MIRROR $SUITE-security main"
} >"$ROOTFS/etc/apt/sources.list"
# no docs, man pages or translations for anything installed from here on (as the slim images do)
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/01-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$ROOTFS/etc/apt/apt.conf.d/01-norecommends"
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"

mount -t proc proc "$ROOTFS/proc"
mount --bind "$APTCACHE" "$ROOTFS/var/cache/apt/archives"
in_chroot() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

log "apt-get update + dist-upgrade"
in_chroot apt-get update -qq
in_chroot apt-get -y -qq -o Dpkg::Use-Pty=0 dist-upgrade >/dev/null
if [ -n "$STUBS" ]; then
  mkdir -p "$ROOTFS/tmp/stub/DEBIAN"
  cat >"$ROOTFS/tmp/stub/DEBIAN/control" <<EOF
Package: skriptoteket-runner-stubs
Version: 1.0
Architecture: all
Maintainer: Skriptoteket <noreply@invalid>
Depends: media-types
Provides: $STUBS
Description: placeholders for dependencies the Skriptoteket runner never uses
EOF
  in_chroot dpkg-deb --build /tmp/stub /tmp/stub.deb >/dev/null
  in_chroot apt-get -y -qq -o Dpkg::Use-Pty=0 install /tmp/stub.deb >/dev/null
fi
log "apt-get install: $PKGS"
# shellcheck disable=SC2086
in_chroot apt-get -y -qq -o Dpkg::Use-Pty=0 install $PKGS >"$SCRATCH/apt-install.log" 2>&1 || {
  tail -n 30 "$SCRATCH/apt-install.log" >&2
  exit 1
}

if [ "$WITH_PANDOC" = 1 ]; then
  # bookworm's pypandoc 1.7.4 passes --sandbox by default, and Debian's pandoc has no embedded data
  # files, so in sandbox mode docx/odt/epub output fails ("Could not find data file"). pypandoc 1.11
  # made sandbox=False the default (upstream PR #322); scripts written against PyPI's pypandoc
  # expect that. The container is the sandbox. Diverted, so dpkg knows the file was replaced.
  pypandoc_init=/usr/lib/python3/dist-packages/pypandoc/__init__.py
  in_chroot dpkg-divert --quiet --local --rename --add "$pypandoc_init"
  sed 's/sandbox=True, cworkdir=None)/sandbox=False, cworkdir=None)/' "$ROOTFS$pypandoc_init.distrib" >"$ROOTFS$pypandoc_init"
  [ "$(grep -c 'sandbox=False, cworkdir=None)' "$ROOTFS$pypandoc_init")" = 3 ] ||
    die "pypandoc no longer looks like 1.7.4; check its sandbox default by hand"
  in_chroot python3 -m compileall -q -f "$pypandoc_init"
fi

log "harness -> /opt/skriptoteket, runner user uid=$RUNNER_UID, /work layout"
mkdir -p "$ROOTFS/opt/skriptoteket"
(cd "$HARNESS_DIR" && harness_files | xargs install -m 0644 -t "$ROOTFS/opt/skriptoteket")
# Byte-compiled now: the root is read-only at run time, so Python cannot cache bytecode itself.
in_chroot python3 -m compileall -q /opt/skriptoteket
# The helper modules must import from any python3 in the box, not only from the harness's process.
echo /opt/skriptoteket >"$ROOTFS/usr/lib/python3/dist-packages/skriptoteket.pth"
in_chroot groupadd -g "$RUNNER_UID" runner
in_chroot useradd -u "$RUNNER_UID" -g "$RUNNER_UID" -M -d /tmp/home -s /usr/sbin/nologin runner
# /work is an anonymous volume at run time; Docker seeds it from here, owner included, and the
# harness must be able to write /work/result.json.
mkdir -p "$ROOTFS/work/input" "$ROOTFS/work/output"
chown "$RUNNER_UID:$RUNNER_UID" "$ROOTFS/work" "$ROOTFS/work/input" "$ROOTFS/work/output"
chmod 0755 "$ROOTFS/work" "$ROOTFS/work/input" "$ROOTFS/work/output"

# Installed sizes, largest first, for whoever wonders where the megabytes went.
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
in_chroot dpkg-query -W -f '${Installed-Size}\t${Package}\n' | sort -rn >"$SCRATCH/package-sizes.txt"

log "strip caches and docs"
cleanup_mounts
rm -f "$ROOTFS/usr/sbin/policy-rc.d"
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
  "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/* \
  "$ROOTFS"/root/.cache "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
  "$ROOTFS"/usr/share/locale/* "$ROOTFS"/usr/share/lintian/*
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
# test suites shipped inside Debian's pandas are dead weight at run time
find "$ROOTFS/usr/lib/python3/dist-packages" -depth -type d -name tests -path '*/pandas/*' -exec rm -rf {} + 2>/dev/null || true
# no setuid/setgid binaries (su, passwd, mount, ...); no-new-privileges also neuters them at run time
find "$ROOTFS" -xdev -type f -perm /6000 -exec chmod ug-s {} +
# resolv.conf, hostname and hosts are bind-mounted by Docker at run time
: >"$ROOTFS/etc/resolv.conf"

log "docker import -> $IMAGE"
previous_id="$(docker image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)"
tar -C "$ROOTFS" --numeric-owner -c . | docker import \
  --change "USER $RUNNER_UID:$RUNNER_UID" \
  --change 'WORKDIR /work' \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp/home XDG_CACHE_HOME=/tmp/home/.cache PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 MPLCONFIGDIR=/tmp/matplotlib MPLBACKEND=Agg' \
  --change 'ENTRYPOINT ["/usr/bin/tini", "--"]' \
  --change 'CMD ["python3", "/opt/skriptoteket/skriptoteket_harness.py"]' \
  --change "LABEL org.skriptoteket.build-hash=$BUILD_HASH org.skriptoteket.suite=$SUITE org.skriptoteket.contract-version=2" \
  - "$IMAGE" >/dev/null
# The replaced image is left untagged; drop it unless a container or another tag still uses it.
if [ -n "$previous_id" ] && [ "$previous_id" != "$(docker image inspect "$IMAGE" --format '{{.Id}}')" ]; then
  docker image rm "$previous_id" >/dev/null 2>&1 || true
fi
log "done in $((SECONDS - started)) s: $(docker image inspect "$IMAGE" --format '{{.Id}} {{.Size}} bytes')"
log "rootfs kept in $ROOTFS (delete freely); installed sizes in $SCRATCH/package-sizes.txt"

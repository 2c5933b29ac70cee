#!/usr/bin/env bash
# Builds a real Asterisk (with chan_pjsip and ARI) from a source tarball, offline, for the
# real-Asterisk test suite and `bench:voice --real`. The result is cached in a folder keyed by
# the hashes of the two source tarballs and of this script's module selection, so a second run
# (or a second CI job on the same machine) reuses it in well under a second.
#
#   scripts/asterisk/build.sh <asterisk-X.tar.gz> [pjproject-Y.tar.bz2]
#
# Prints the install prefix on stdout (and nothing else); progress and logs go to stderr.
# The pjproject tarball defaults to the one beside the Asterisk tarball. Environment:
#   DOZVON_ASTERISK_CACHE  where builds are kept (default ${XDG_CACHE_HOME:-~/.cache}/dozvon/asterisk)
#   DOZVON_ASTERISK_JOBS   make -j (default: the number of cores)
set -euo pipefail
log() { echo "asterisk-build: $*" >&2; }
die() { log "$*"; exit 1; }

SRC=${1:-${DOZVON_TEST_ASTERISK_SRC:-}}
[ -n "$SRC" ] || die "usage: build.sh <asterisk source tarball> [pjproject tarball]"
[ -f "$SRC" ] || die "no such Asterisk source tarball: $SRC"
SRC=$(readlink -f "$SRC")
PJ=${2:-}
if [ -z "$PJ" ]; then
  PJ=$(ls "$(dirname "$SRC")"/pjproject-*.tar.bz2 2>/dev/null | sort -V | tail -n1 || true)
fi
[ -n "$PJ" ] && [ -f "$PJ" ] || die "no pjproject-*.tar.bz2 beside $SRC (chan_pjsip's bundled build needs it; pass it as the second argument)"
PJ=$(readlink -f "$PJ")

HERE=$(cd "$(dirname "$0")" && pwd)
# Debian packages the build needs, and the prompts Asterisk's number sounds come from.
BUILD_PKGS="build-essential pkg-config libedit-dev libjansson-dev libxml2-dev libxslt1-dev uuid-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev libncurses-dev bzip2 asterisk-core-sounds-en-wav asterisk-core-sounds-ru-wav"
missing=""
for p in $BUILD_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    log "installing build packages:$missing"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    die "missing Debian packages:$missing (sudo apt-get install$missing)"
  fi
fi

# The key changes when either source or the module selection below changes.
KEY=$( (sha256sum "$SRC" "$PJ" | cut -d' ' -f1; sha256sum "$HERE/modules.txt" | cut -d' ' -f1) | sha256sum | cut -c1-16)
CACHE=${DOZVON_ASTERISK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dozvon/asterisk}
PREFIX="$CACHE/$KEY"
mkdir -p "$CACHE"
exec 9>"$CACHE/$KEY.lock"
flock 9 # two test runs at once: the second waits for the first build instead of racing it
if [ -f "$PREFIX/.complete" ]; then
  log "reusing $PREFIX"
  echo "$PREFIX"
  exit 0
fi

rm -rf "$PREFIX"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dozvon-asterisk-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
LOGF="$CACHE/$KEY.build.log"
: >"$LOGF"
started=$(date +%s)
step() { log "$1 (log: $LOGF)"; shift; "$@" >>"$LOGF" 2>&1 || { tail -n 40 "$LOGF" >&2; die "failed: $*"; }; }

step "unpacking $(basename "$SRC")" tar -xzf "$SRC" -C "$WORK" --strip-components=1
PJDIR="$WORK/.externals"
mkdir -p "$PJDIR"
cp "$PJ" "$PJDIR/"
cd "$WORK"
# WGET/CURL as /bin/false: a missing or mismatching pjproject tarball fails in seconds instead
# of trying the network (which CI does not have).
step "configure" ./configure --prefix="$PREFIX" --with-pjproject-bundled --with-jansson-bundled=no \
  --with-externals-cache="$PJDIR" WGET=/bin/false CURL=/bin/false
step "menuselect" make menuselect.makeopts
MS=menuselect/menuselect
for cat in MENUSELECT_ADDONS MENUSELECT_APPS MENUSELECT_CDR MENUSELECT_CEL MENUSELECT_CHANNELS \
  MENUSELECT_PBX MENUSELECT_RES MENUSELECT_TESTS MENUSELECT_CORE_SOUNDS MENUSELECT_MOH \
  MENUSELECT_EXTRA_SOUNDS MENUSELECT_UTILS MENUSELECT_AGIS; do
  $MS --disable-category "$cat" menuselect.makeopts >>"$LOGF" 2>&1 || true
done
enable_args=()
while read -r m; do
  case "$m" in ''|'#'*) continue ;; esac
  enable_args+=(--enable "$m")
done <"$HERE/modules.txt"
step "selecting modules" $MS "${enable_args[@]}" menuselect.makeopts
step "checking module dependencies" $MS --check-deps menuselect.makeopts
JOBS=${DOZVON_ASTERISK_JOBS:-$(nproc)}
step "compiling with make -j$JOBS (about 5 minutes on 2 cores)" make -j"$JOBS"
step "installing into $PREFIX" make install
touch "$PREFIX/.complete"
log "built in $(( $(date +%s) - started )) s: $PREFIX"
echo "$PREFIX"

# Shared settings for the qemu-sev-pflash scripts.  Source it; do not run it.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${QSP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qemu-sev-pflash}
WS=$TOP/build/qemu              # git work tree: upstream + the series
BLD=$WS/build                   # QEMU's build directory inside it
BASE_WS=$TOP/build/base         # pristine upstream for comparisons (no series)
EDK2_WS=$TOP/build/edk2         # git work tree: edk2 upstream + patches-edk2/
# The CPU model of an emulated SEV guest (cpu-view=on): an SEV-capable one,
# with RDRAND (QEMU refuses cpu-view without it; Linux needs it)
SEV_CPU=${QSP_SEV_CPU:-EPYC-v4}

# shellcheck source=../qemu.pin
. "$TOP/qemu.pin"

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=$TOP/build
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
export CCACHE_NOHASHDIR=1

die() { echo "error: $*" >&2; exit 1; }
note() { echo "==> $*"; }

# QEMU's meson and python scripts need Debian's interpreter, which sees the
# Debian python3 packages (the machine's default python3 may be another build).
PYTHON=/usr/bin/python3

# The configure line for the minimal build the series needs.
# QSP_CRYPTO=gnutls: GnuTLS as the crypto backend instead of libgcrypt
# (scripts/check-gnutls).
qemu_configure_args() {
    local crypto=--enable-gcrypt
    [ "${QSP_CRYPTO:-gcrypt}" = gnutls ] &&
        crypto="--disable-gcrypt --disable-nettle --enable-gnutls"
    echo --target-list=x86_64-softmmu \
         --without-default-features \
         --enable-kvm --enable-tcg $crypto --enable-tools \
         --enable-vvfat --enable-pixman \
         --disable-docs --disable-download --disable-debug-info \
         --disable-install-blobs \
         --python=$PYTHON \
         --cc=/usr/lib/ccache/gcc --cxx=/usr/lib/ccache/g++ \
         --host-cc=gcc
}

# apt against a private state directory in the cache: the system's apt
# sources, lists and preferences are never touched.  papt_init LINE...
# writes the given sources.list lines and sets the PAPT option array.
papt_init() {
    local dir=$CACHE/apt
    mkdir -p "$dir"/{lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d}
    printf '%s\n' "$@" > "$dir/etc/sources.list"
    PAPT=(
        -o Dir::State="$dir" -o Dir::State::Lists="$dir/lists"
        -o Dir::State::status=/var/lib/dpkg/status
        -o Dir::Cache="$dir/cache"
        -o Dir::Etc::SourceList="$dir/etc/sources.list"
        -o Dir::Etc::SourceParts="$dir/etc/sources.list.d"
        -o Dir::Etc::PreferencesParts="$dir/etc/preferences.d"
        -o APT::Sandbox::User=root -o Debug::NoLocking=1
    )
}

# The Debian mirror the machine's apt already uses.
debian_mirror() {
    local m
    m=$(apt-get indextargets --format '$(SITE) $(RELEASE)' 2>/dev/null |
        awk '$2 !~ /-/ && $1 ~ /debian\/?$/ {print $1; exit}')
    echo "${m:-http://deb.debian.org/debian}"
}
DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# How the series is exported (pq export) and re-exported (the round trip
# check in scripts/check): zero commit ids and no signature, so that the
# same commits always give the same files.
# The pflash-cfi01 qtests the series adds, one per subject (their shared
# model and helpers are in tests/qtest/pflash-cfi01-util.c)
PFLASH_QTESTS=(
    tests/qtest/pflash-cfi01-test               # the device
    tests/qtest/pflash-cfi01-drive-error-test   # drive write errors
    tests/qtest/pflash-cfi01-encrypted-test     # the encrypted mode
    tests/qtest/pflash-cfi01-firmware-test      # the firmware's part
    tests/qtest/pflash-cfi01-fuzz-test          # random commands, a model
    tests/qtest/pflash-cfi01-harness-test       # cpu-view, the lying host
)

FORMAT_PATCH_ARGS=(--zero-commit --no-signature --no-cover-letter
                   --subject-prefix="RFC PATCH" --start-number 1)

# QEMU's patch queues, in the order they apply, each on the one before:
# name, directory, subject prefix.  pflash goes upstream on its own, sev on
# top of it; the harness is what only this repository's tests need (see
# harness/README.md) and is never sent.  In build/qemu the end of each
# queue but the last is the branch qsp/NAME; the last ends at HEAD.
QEMU_QUEUES=(
    pflash  "$TOP/patches/pflash" "PATCH"
    sev     "$TOP/patches/sev"    "RFC PATCH"
    harness "$TOP/harness"        "HARNESS PATCH"
)

# Run git in the workspace with the repository's identity (the commits are
# the series; the person who submits it re-authors and signs it off).
wsgit() { git -C "$WS" "$@"; }

# Build pristine upstream (tag 'upstream', no series) in $BASE_WS, for the
# tests that compare it with the series.  Incremental after the first time.
base_build() {
    if [ ! -e "$BASE_WS/.git" ]; then
        rm -rf "$BASE_WS"
        wsgit worktree prune
        wsgit worktree add -q --detach "$BASE_WS" upstream || die "cannot create $BASE_WS"
    fi
    git -C "$BASE_WS" checkout -q -f --detach upstream
    "$TOP/scripts/build" "$BASE_WS" >"$TOP/build/base.log" 2>&1 ||
        die "building upstream in $BASE_WS failed, see build/base.log"
}

# The environment meson gives QEMU's qtests, for running them by hand from
# a build directory (the current one).
qtest_env() {
    export QTEST_QEMU_BINARY=${QTEST_QEMU_BINARY:-./qemu-system-x86_64}
    export QTEST_QEMU_IMG=${QTEST_QEMU_IMG:-./qemu-img}
    export QTEST_QEMU_STORAGE_DAEMON_BINARY=./storage-daemon/qemu-storage-daemon
    export G_TEST_DBUS_DAEMON=/nonexistent
    export PYTHON
    export MALLOC_PERTURB_=${MALLOC_PERTURB_:-$((RANDOM % 255 + 1))}
}

# ws_worktree DIR: DIR as a git worktree of the workspace, at its HEAD
# (created if need be; what it held is dropped).
ws_worktree() {
    local dir=$1
    [ -d "$WS/.git" ] || die "no workspace: run 'make' first"
    if [ ! -e "$dir/.git" ]; then
        rm -rf "$dir"
        git -C "$WS" worktree prune
        git -C "$WS" worktree add -q --detach "$dir" HEAD
    fi
    git -C "$dir" am --abort >/dev/null 2>&1 || true
    git -C "$dir" checkout -q -f --detach "$(git -C "$WS" rev-parse HEAD)"
}

# --- helpers of the OVMF tests (test-ovmf, test-ovmf-sev) ---------------

# check NAME CONDITION...: an 'ok'/'not ok' line, "$CHECK_PREFIX$NAME",
# counted in the caller's pass and fail
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok - $CHECK_PREFIX$name"; pass=$((pass + 1))
    else
        echo "not ok - $CHECK_PREFIX$name"; fail=$((fail + 1))
    fi
}

# A serial log as text: no CR, no escape sequences.
text() { tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# In a trace log (-trace ... -D FILE) of the emulated SEV guest:
# trace_count FILE EVENT LO HI [WORD]: fills of EVENT whose address (the
# value after "gpa" or "paddr") is in [LO, HI) and whose line has WORD
trace_count() {
    "$PYTHON" - "$@" <<'EOF'
import re, sys
path, event, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
word = sys.argv[5] if len(sys.argv) > 5 else ""
n = 0
for line in open(path, errors="replace"):
    if event not in line or word not in line:
        continue
    m = re.search(r"(?:gpa|paddr) (0x[0-9a-f]+)", line)
    if m and lo <= int(m.group(1), 16) < hi:
        n += 1
print(n)
EOF
}

# A UEFI variable store firmware volume: _FVH, then the variable store
# header (authenticated or plain variable GUID, format 0x5a, healthy 0xfe)
valid_varstore() {
    local f=$1 hlen guid fmt state
    [ "$(dd if="$f" bs=1 skip=40 count=4 2>/dev/null)" = _FVH ] || return 1
    hlen=$(od -An -tu2 -j 48 -N2 "$f" | tr -d ' ')
    guid=$(od -An -tx1 -j "$hlen" -N16 "$f" | tr -d ' \n')
    fmt=$(od -An -tx1 -j $((hlen + 20)) -N1 "$f" | tr -d ' ')
    state=$(od -An -tx1 -j $((hlen + 21)) -N1 "$f" | tr -d ' ')
    case $guid in
        782cf3aa7b949a43a1802e144ec37792|16369cdd753264419eb6fe85707ffe7d) ;;
        *) echo "  unexpected variable store GUID $guid" >&2; return 1 ;;
    esac
    [ "$fmt" = 5a ] && [ "$state" = fe ]
}

# When Secure Boot refuses a boot option's image, edk2 2025.02's boot
# manager says on the console (PlatformBmPrintScLib): 'BdsDxe: failed to
# load Boot0001 "UEFI Misc Device" from PciRoot(0x0)/...: Access Denied'.
# SB_REFUSED is the marker to wait for; sb_refused LOG checks the line.
SB_REFUSED=': Access Denied'
sb_refused() {
    grep -qE 'BdsDxe: failed to load Boot[0-9A-F]{4} ".*" from .*: Access Denied' <(text "$1")
}

# has_var FILE: the test variable's name (UTF-16) is in the store
has_var() {
    LC_ALL=C grep -qaP 'Q\x00s\x00p\x00T\x00e\x00s\x00t\x00V\x00a\x00r\x00' "$1"
}

nsh() {     # nsh DIR LINES...: a startup.nsh (CRLF) in DIR
    local dir=$1
    shift
    mkdir -p "$dir"
    printf '%s\r\n' "$@" >"$dir/startup.nsh"
}

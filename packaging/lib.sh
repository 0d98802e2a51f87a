# Helpers shared by packaging/test and packaging/test-cluster (sourced, not run): the PASS/FAIL checks,
# the cached debootstrap bookworm root, and a fresh root prepared from it with apt set up the way this
# machine's Debian sources say. The sourcing script sets REPO, CACHE, ROOT and LOGS first.
# shellcheck shell=bash

BASE_TAR=$CACHE/bookworm-base.tar.gz
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

passed=0 failed=0
pass() { printf 'PASS %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s: %s\n' "$1" "$2"; failed=$((failed + 1)); }
note() { printf 'test: %s\n' "$*" >&2; }
summary() {
  printf '%d passed, %d failed\n' "$passed" "$failed"
  ((failed == 0))
}

# check NAME COMMAND... : PASS when COMMAND succeeds; otherwise FAIL with the last line it printed.
# Output goes to $LOGS/NAME.log.
check() {
  local name=$1; shift
  local log=$LOGS/${name//[^A-Za-z0-9._-]/_}.log
  log=${log:0:250}
  if "$@" >"$log" 2>&1; then
    pass "$name"
  else
    local reason; reason=$(grep -v '^\s*$' "$log" | tail -1)
    fail "$name" "${reason:-exit status $?} (log: $log)"
  fi
}

# ---------------------------------------------------------------------------------------------
# The units' sandboxing (docs/packaging.md, "Unit hardening"): each unit's limit for systemd-analyze's
# exposure level (0 fully confined, 10 nothing restricted), set just above the level it has, so a change
# that loosens a unit fails packaging/test (the shipped files, --offline) and packaging/test-cluster
# (the running units, bootstrap's drop-ins included). The units were at 8.5-9.6 before.

HAMANAGER_UNITS=(hamanager-consul.service hamanager-syncthing.service hamanager-postgresql.service
  hamanager-repmgrd.service hamanager-watch.service)
declare -A EXPOSURE_LIMIT=(
  [hamanager-consul.service]=2.4 [hamanager-syncthing.service]=2.5 [hamanager-postgresql.service]=1.8
  [hamanager-repmgrd.service]=1.8 [hamanager-watch.service]=3.4
)
exposure_level() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p'; } # of systemd-analyze security's output
exposure_within() { # LEVEL UNIT REPORT: LEVEL is at most the unit's limit; prints REPORT (for the log)
  printf '%s\n' "$3"
  [[ -n $1 ]] || { echo "no exposure level for $2"; return 1; }
  awk -v s="$1" -v l="${EXPOSURE_LIMIT[$2]}" 'BEGIN { exit !(s <= l) }' \
    || { echo "$2: exposure $1 is worse than its limit ${EXPOSURE_LIMIT[$2]}"; return 1; }
}

# ---------------------------------------------------------------------------------------------
# the fresh bookworm root in $ROOT: mounts are recorded so that unmount_all (called from the
# sourcing script's traps) always undoes them

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
  # Anything left from an interrupted earlier run.
  findmnt -rn -o TARGET | grep -F "$ROOT/" | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done
}

mount_in_root() { # mount_in_root TARGET MOUNT-ARGS...
  local target=$1; shift
  mkdir -p "$target"
  mount "$@" "$target" && mounted+=("$target")
}

in_root() { timeout 900 chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
apt_in_root() { in_root apt-get -y -q -o Dpkg::Options::=--force-confold "$@"; }

debian_mirror() {
  local uris
  uris=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
  [[ -n $uris ]] || uris=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  [[ -n $uris ]] || { echo "no Debian mirror URI in this machine's apt sources" >&2; return 1; }
  echo "$uris"
}

make_base() { # the cached debootstrap result: bookworm minbase plus systemd (for systemd-analyze) and man-db
  [[ -s $BASE_TAR ]] && return 0
  local mirror build=$CACHE/bookworm-base.build
  mirror=$(debian_mirror) || return 1
  rm -rf --one-file-system "$build"
  timeout 1200 debootstrap --variant=minbase --include=systemd,man-db,ca-certificates bookworm "$build" "$mirror" || return 1
  # man-db: no index rebuild on every later install (man finds pages by path without it).
  rm -f "$build/var/lib/man-db/auto-update"
  rm -rf "$build/var/cache/apt/archives/"*.deb "$build/var/lib/apt/lists/"*
  tar -C "$build" -czf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf --one-file-system "$build"
}

prepare_root() { # $ROOT anew from the base, with /proc and apt's cache mounted: 3 mounts
  unmount_all
  rm -rf --one-file-system "$ROOT"
  mkdir -p "$ROOT" "$CACHE/apt-archives/partial" "$CACHE/apt-lists/partial"
  tar -C "$ROOT" -xzf "$BASE_TAR" || return 1
  mount_in_root "$ROOT/proc" -t proc proc || return 1
  # apt's downloads and indexes are kept between runs, so a warm run fetches (almost) nothing.
  mount_in_root "$ROOT/var/cache/apt/archives" --bind "$CACHE/apt-archives" || return 1
  mount_in_root "$ROOT/var/lib/apt/lists" --bind "$CACHE/apt-lists" || return 1
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  # The machine's own Debian sources and its apt date checks (a snapshot mirror can be older
  # than its Valid-Until).
  rm -f "$ROOT/etc/apt/sources.list"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    cp /etc/apt/sources.list.d/debian.sources "$ROOT/etc/apt/sources.list.d/"
  else
    cp /etc/apt/sources.list "$ROOT/etc/apt/sources.list"
  fi
  apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' >"$ROOT/etc/apt/apt.conf.d/50hamanager-test" || true
  # Package installs start no services here (the root shares this machine's network): postgresql-common
  # still creates its default cluster 15/main.
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
  in_root apt-get update -q
}

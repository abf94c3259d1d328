#!/bin/bash
# make test-systemd: the installed service under a real systemd (PID 1 here is not systemd).
#
# Boots Debian 12 with systemd-nspawn --boot on a root filesystem debootstrapped once into
# $SMOOTHTASK_TEST_CACHE (default /var/cache/smoothtask-test; --volatile=overlay keeps it pristine),
# installs the project the way a user does (make install DESTDIR=..., systemd-sysusers,
# systemd-tmpfiles, enable --now smoothtask.socket) and checks the service end to end; then, given a
# .deb (make deb), boots a fresh container, installs it with apt and runs the same checks. Prints one
# PASS/FAIL line per check and "N passed, N failed"; exits 1 if any check failed.
#
# Usage: scripts/test-systemd.sh BUILD_DIR [DEB]   (absolute path of a debug or release build; the
#        package to install with apt)
# Needs root, debootstrap and systemd-container (make test-systemd installs them); uses no machined.
set -u

BUILD_DIR=${1:?usage: $0 BUILD_DIR [DEB] (absolute path of a build holding smoothtaskd and smoothtaskctl)}
DEB=${2:-}
case $BUILD_DIR in /*) ;; *) echo "BUILD_DIR must be absolute (got $BUILD_DIR)"; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SMOOTHTASK_TEST_CACHE:-/var/cache/smoothtask-test}
ROOTFS=$CACHE/bookworm-rootfs
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the container needs besides minbase: systemd as PID 1, the daemon's libraries (libsqlite3-0:
# the history store), ps/kill, setpriv's capability tools, useradd for the test users. The cache
# remembers this list and is rebuilt when it changes.
INCLUDE=systemd,systemd-sysv,dbus,libbpf1,libelf1,zlib1g,libsqlite3-0,procps,libcap2-bin,passwd
# Seconds to wait for boot, activation, a watchdog restart.
BOOT_LIMIT=60
WAIT_LIMIT=30
# The unit's own figure is 0.7 on systemd 252; the issue allows up to this.
EXPOSURE_LIMIT=1.5

passed=0
failed=0
# Which installation the checks run against: "make install" or "deb".
WAY=
pass() { echo "PASS  ${WAY:+[$WAY] }$1"; passed=$((passed + 1)); }
fail() { echo "FAIL  ${WAY:+[$WAY] }$1${2:+: $2}"; failed=$((failed + 1)); }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
# since START: seconds from START (date +%s.%N) to now, one decimal.
since() { awk -v from="$1" -v to="$(date +%s.%N)" 'BEGIN { printf "%.1f", to - from }'; }
started=$(date +%s.%N)

for tool in debootstrap systemd-nspawn nsenter python3; do
    command -v $tool >/dev/null || { fail "host tools" "$tool is missing: make test-systemd installs debootstrap and systemd-container"; finish; }
done
for binary in smoothtaskd smoothtaskctl; do
    [ -x "$BUILD_DIR/$binary" ] || { fail "build" "$BUILD_DIR/$binary is missing: build first (swift build)"; finish; }
done
if [ -n "$DEB" ] && [ ! -f "$DEB" ]; then fail "package" "$DEB is missing: make deb builds it"; finish; fi

# --- The root filesystem, once --------------------------------------------------------------------
if [ "$(cat "$ROOTFS/.smoothtask-complete" 2>/dev/null)" = "$INCLUDE" ]; then
    echo "Using the cached root filesystem $ROOTFS"
else
    echo "Debootstrapping Debian 12 into $ROOTFS (about a minute, once per package list)"
    mkdir -p "$CACHE"
    rm -rf "$ROOTFS.partial"
    if ! debootstrap --variant=minbase --include=$INCLUDE bookworm "$ROOTFS.partial" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
        if ! python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1] + '/dists/bookworm/Release', timeout=20)" "$MIRROR" 2>/dev/null; then
            fail "root filesystem" "the Debian package registry $MIRROR cannot be reached; set DEBIAN_MIRROR to a reachable mirror"
        else
            fail "root filesystem" "debootstrap failed: $(tail -3 "$CACHE/debootstrap.log" | tr '\n' ' ')(full log: $CACHE/debootstrap.log)"
        fi
        rm -rf "$ROOTFS.partial"
        finish
    fi
    rm -rf "$ROOTFS"
    mv "$ROOTFS.partial" "$ROOTFS"
    echo "$INCLUDE" >"$ROOTFS/.smoothtask-complete"
    echo "Root filesystem ready after $(since $started) s"
fi

WORK=$(mktemp -d /tmp/smoothtask-systemd.XXXXXX)
STAGE=$WORK/stage
NSPAWN=
CGROUP_NAME=smoothtask-test-$$
# Powers the container off (nspawn turns SIGTERM into a clean shutdown of its systemd).
stop_container() {
    if [ -n "$NSPAWN" ] && kill -0 "$NSPAWN" 2>/dev/null; then
        kill -TERM "$NSPAWN" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$NSPAWN" 2>/dev/null
        wait "$NSPAWN" 2>/dev/null
    fi
    NSPAWN=
}
cleanup() {
    stop_container
    # Back to the cgroups this script came from, then remove its own.
    for hierarchy in systemd unified; do
        [ -n "${ORIGINAL_CGROUP[$hierarchy]:-}" ] || continue
        echo $$ >"/sys/fs/cgroup/$hierarchy${ORIGINAL_CGROUP[$hierarchy]}/cgroup.procs" 2>/dev/null
        rmdir "/sys/fs/cgroup/$hierarchy/$CGROUP_NAME" 2>/dev/null
    done
    rm -rf "$WORK"
}
declare -A ORIGINAL_CGROUP
trap cleanup EXIT

# --- Stage the install, as a package build would ---------------------------------------------------
if ! make -s -C "$ROOT" install DESTDIR="$STAGE" BUILD_DIR="$BUILD_DIR" >"$WORK/install.log" 2>&1; then
    fail "make install DESTDIR" "$(tail -5 "$WORK/install.log")"
    finish
fi
# Binaries linked against the toolchain's Swift runtime take its .so files along; statically
# linked ones (make deb) need none.
runtime=$(ldd "$BUILD_DIR/smoothtaskd" "$BUILD_DIR/smoothtaskctl" | awk '$3 ~ /^\// {print $3}' | sort -u | grep -v -e '^/lib' -e '^/usr/lib')
if [ -n "$runtime" ]; then
    mkdir -p "$STAGE/usr/local/lib/smoothtask-swift" "$STAGE/etc/ld.so.conf.d"
    cp -L $runtime "$STAGE/usr/local/lib/smoothtask-swift/"
    echo /usr/local/lib/smoothtask-swift >"$STAGE/etc/ld.so.conf.d/smoothtask-swift.conf"
fi

# --- Boot ------------------------------------------------------------------------------------------
# nspawn wants its own cgroup on this host's hybrid layout (no systemd as PID 1 to make one).
for hierarchy in systemd unified; do
    [ -d "/sys/fs/cgroup/$hierarchy" ] || continue
    if [ "$hierarchy" = unified ]; then
        ORIGINAL_CGROUP[$hierarchy]=$(awk -F: '$1 == 0 {print $3}' /proc/self/cgroup)
    else
        ORIGINAL_CGROUP[$hierarchy]=$(awk -F: '$2 == "name=systemd" {print $3}' /proc/self/cgroup)
    fi
    mkdir -p "/sys/fs/cgroup/$hierarchy/$CGROUP_NAME"
    echo $$ >"/sys/fs/cgroup/$hierarchy/$CGROUP_NAME/cgroup.procs"
done
# boot DIR: a fresh container from the cached root filesystem, DIR visible inside as /stage.
boot() {
boot_started=$(date +%s.%N)
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn --quiet -D "$ROOTFS" --volatile=overlay --boot \
    --keep-unit --register=no --private-network -M smoothtask-test \
    --capability=CAP_BPF,CAP_PERFMON --system-call-filter='bpf perf_event_open' \
    --bind-ro="$1:/stage" >"$WORK/console.log" 2>&1 </dev/null &
NSPAWN=$!
# nspawn's first child is its outer child, which sets the container up, starts the inner child (the
# container's PID 1) and exits: the leader is the child that has become systemd, looked for again on
# each round, since a round that finds only the outer child must not give up on its exit.
LEADER=
state=offline
for _ in $(seq $((BOOT_LIMIT * 5))); do
    for child in $(cat /proc/$NSPAWN/task/*/children 2>/dev/null); do
        if [ "$(cat /proc/$child/comm 2>/dev/null)" = systemd ]; then LEADER=$child; break; fi
    done
    if [ -n "$LEADER" ]; then
        state=$(timeout $BOOT_LIMIT nsenter -t "$LEADER" -a systemctl is-system-running --wait 2>&1)
        case $state in running|degraded) break ;; esac
        kill -0 "$LEADER" 2>/dev/null || LEADER=
    fi
    if ! kill -0 $NSPAWN 2>/dev/null; then
        fail "boot" "systemd-nspawn exited: $(tail -5 "$WORK/console.log")"
        finish
    fi
    sleep 0.2
done
case $state in
    running|degraded) pass "boot: systemd $(inside systemctl --version | awk 'NR==1 {print $2}') is PID 1, $state after $(since $boot_started) s" ;;
    *) fail "boot" "system state '$state'; console: $(tail -5 "$WORK/console.log" | tr '\n' ' ')"; finish ;;
esac
}
inside() { nsenter -t "$LEADER" -a "$@"; }

# --- The checks, the same for every way of installing ----------------------------------------------

checks() {
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
main_pid() { inside systemctl show -p MainPID --value smoothtaskd.service; }
# A signal to the daemon, never to pid 0 (that would be this script's own process group).
signal_daemon() { [ "${2:-0}" != 0 ] && inside kill "-$1" "$2"; }
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
    local limit=$1; shift
    for _ in $(seq $((limit * 10))); do "$@" && return 0; sleep 0.1; done
    return 1
}
config_interval() { inside smoothtaskctl config get --json 2>/dev/null | json 'd["collection_interval_ms"]'; }

# 1. Socket activation: the service is not running until the first client, which gets an answer.
was=$(inside systemctl is-active smoothtaskd.service)
status=$(inside smoothtaskctl status --json 2>"$WORK/err")
if [ "$was" != active ] && [ "$(echo "$status" | json 'd["ebpf"]["supported"]')" = True ] \
        && [ "$(inside systemctl is-active smoothtaskd.service)" = active ]; then
    pass "socket activation: first client started smoothtaskd ($was before), eBPF active"
else
    fail "socket activation" "was $was; status: ${status:0:300} $(cat "$WORK/err")"
fi

# 2. The service user and its exact capabilities.
pid=$(main_pid)
proc=$(inside cat /proc/$pid/status 2>/dev/null)
uid=$(inside id -u smoothtask 2>/dev/null)
capeff=$(echo "$proc" | awk '$1 == "CapEff:" {print $2}')
nnp=$(echo "$proc" | awk '$1 == "NoNewPrivs:" {print $2}')
if [ -n "$uid" ] && [ "$uid" != 0 ] && echo "$proc" | grep -q "^Uid:[[:space:]]*$uid[[:space:]]" \
        && [ "$capeff" = 000000c000000000 ] && [ "$nnp" = 1 ]; then
    pass "service user: smoothtask (uid $uid), CapEff $capeff (CAP_BPF+CAP_PERFMON only), NoNewPrivs"
else
    fail "service user" "uid '$uid', CapEff '$capeff', NoNewPrivs '$nnp'; $(echo "$proc" | grep -E '^(Uid|Cap)')"
fi

# 3. /etc/smoothtask belongs to the service user, so config changes can be written (defect 1).
owner=$(inside stat -c %U:%G /etc/smoothtask)
[ "$owner" = smoothtask:smoothtask ] && pass "/etc/smoothtask owned by smoothtask:smoothtask" \
    || fail "/etc/smoothtask ownership" "$owner (the tmpfiles.d file should make it smoothtask:smoothtask)"

# 4. set-interval as root, as a member of group smoothtask, and as a non-member (77).
inside useradd --create-home --groups smoothtask stadmin >/dev/null 2>&1
inside useradd --create-home stuser >/dev/null 2>&1
as() { local user=$1; shift; inside setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }
out=$(inside smoothtaskctl set-interval 500ms 2>&1); code=$?
saved=$(inside cat /etc/smoothtask/config.json 2>/dev/null | json 'd["collection_interval_ms"]' 2>/dev/null)
[ $code = 0 ] && [ "$(config_interval)" = 500 ] && [ "$saved" = 500 ] \
    && pass "set-interval 500ms as root: applied and written to /etc/smoothtask/config.json" \
    || fail "set-interval as root" "exit $code, file says '$saved': $out"
out=$(as stadmin smoothtaskctl set-interval 600ms 2>&1); code=$?
[ $code = 0 ] && [ "$(config_interval)" = 600 ] && pass "set-interval 600ms as a member of group smoothtask" \
    || fail "set-interval as a group member" "exit $code: $out"
out=$(as stuser smoothtaskctl set-interval 500ms 2>&1); code=$?
[ $code = 77 ] && [ "$(config_interval)" = 600 ] && pass "set-interval as a non-member refused with exit 77" \
    || fail "set-interval as a non-member" "exit $code (expected 77): $out"

# 5. systemctl reload re-reads the file.
inside sh -c 'echo "{\"collection_interval_ms\": 700}" >/etc/smoothtask/config.json'
before=$(main_pid)
if inside systemctl reload smoothtaskd.service 2>"$WORK/err" && wait_for 5 test "$(config_interval)" = 700 \
        && [ "$(main_pid)" = "$before" ]; then
    pass "systemctl reload: file re-read (interval 700 ms), same pid $before"
else
    fail "systemctl reload" "interval $(config_interval), pid $before -> $(main_pid); $(cat "$WORK/err")"
fi

# 6. systemctl restart keeps the configuration.
inside smoothtaskctl config set enable_syscall_monitoring=false >/dev/null 2>&1
if inside systemctl restart smoothtaskd.service 2>"$WORK/err" && [ "$(main_pid)" != "$before" ] \
        && [ "$(config_interval)" = 700 ] \
        && [ "$(inside smoothtaskctl config get --json | json 'd["enable_syscall_monitoring"]')" = False ]; then
    pass "systemctl restart: new pid $(main_pid), interval 700 ms and enable_syscall_monitoring=false kept"
else
    fail "systemctl restart" "pid $(main_pid), interval $(config_interval); $(cat "$WORK/err")"
fi
inside smoothtaskctl config set enable_syscall_monitoring=true >/dev/null 2>&1

# 7. The unit's syscall filter still allows bpf and perf_event_open once the deny lists are applied.
filter=$(inside systemctl show -p SystemCallFilter --value smoothtaskd.service)
missing=
for call in bpf perf_event_open; do
    echo " $filter " | grep -q " $call " || missing="$missing $call"
done
case $filter in "~"*) missing="$missing (deny-list mode)" ;; esac
[ -z "$missing" ] && pass "SystemCallFilter: bpf and perf_event_open allowed after the deny lists" \
    || fail "SystemCallFilter" "not allowed:$missing"

# 8. Exposure.
score=$(inside systemd-analyze security smoothtaskd.service 2>/dev/null | sed -n 's/.*Overall exposure level for smoothtaskd.service: \([0-9.]*\).*/\1/p')
if [ -n "$score" ] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$score" $EXPOSURE_LIMIT; then
    pass "systemd-analyze security smoothtaskd.service: exposure $score (<= $EXPOSURE_LIMIT)"
else
    fail "systemd-analyze security" "exposure '$score' (limit $EXPOSURE_LIMIT)"
fi

# 9. A clean journal: nothing at warning or above from smoothtaskd itself in these normal runs.
journal=$(inside journalctl --no-pager -q -o cat _COMM=smoothtaskd)
bad=$(echo "$journal" | grep -E -i ' (warning|error|critical) |Failed to|fatal' | head -5)
[ -n "$journal" ] && [ -z "$bad" ] && pass "journal: $(echo "$journal" | wc -l) lines from smoothtaskd, no warnings" \
    || fail "journal" "${bad:-no lines from smoothtaskd at all}"

# 10. The watchdog restarts a stopped daemon (a test drop-in shortens WatchdogSec).
inside sh -c 'mkdir -p /run/systemd/system/smoothtaskd.service.d && printf "[Service]\nWatchdogSec=2s\n" >/run/systemd/system/smoothtaskd.service.d/watchdog-test.conf && systemctl daemon-reload && systemctl restart smoothtaskd.service'
stopped=$(main_pid)
restarts=$(inside systemctl show -p NRestarts --value smoothtaskd.service)
signal_daemon STOP "$stopped"
restarted() { local now; now=$(main_pid); [ "$now" != 0 ] && [ "$now" != "$stopped" ] && [ "$(inside systemctl is-active smoothtaskd.service)" = active ]; }
if wait_for $WAIT_LIMIT restarted && [ "$(inside systemctl show -p NRestarts --value smoothtaskd.service)" -gt "$restarts" ] \
        && inside smoothtaskctl status --json >/dev/null 2>&1; then
    pass "watchdog: SIGSTOPped pid $stopped killed and restarted as $(main_pid) (WatchdogSec=2s drop-in)"
else
    fail "watchdog" "pid $stopped -> $(main_pid), state $(inside systemctl is-active smoothtaskd.service)"
fi
inside sh -c 'rm -f /run/systemd/system/smoothtaskd.service.d/watchdog-test.conf && systemctl daemon-reload && systemctl restart smoothtaskd.service'

# 11. A bad configuration file never takes the socket down; status and check name the key and line.
inside sh -c 'printf "{\n  \"enable_cpu_metrics\": true,\n  \"collection_interval_ms\": 5\n}\n" >/etc/smoothtask/config.json && systemctl stop smoothtaskd.service 2>/dev/null'
status=$(inside smoothtaskctl status --json 2>"$WORK/err"); code=$?
config_error=$(echo "$status" | json 'd.get("config_error")' 2>/dev/null)
check=$(inside smoothtaskctl check 2>&1)
sleep 2
socket_state=$(inside systemctl is-active smoothtask.socket)
if [ $code = 0 ] && [ "$socket_state" = active ] && [ "$(inside systemctl is-active smoothtaskd.service)" = active ] \
        && echo "$config_error" | grep -q 'collection_interval_ms' && echo "$config_error" | grep -q 'line 3' \
        && echo "$check" | grep -q 'collection_interval_ms' && inside test -S /run/smoothtask.sock; then
    pass "bad config file: socket stays up, daemon serves the defaults, status says: $config_error"
else
    fail "bad config file" "status exit $code ($(cat "$WORK/err")), socket $socket_state, config_error '$config_error'; check: $(echo "$check" | grep -i config)"
fi
inside rm -f /etc/smoothtask/config.json
echo "Container part took $(since $boot_started) s"
}

# --- make install, then what a package's postinst does ---------------------------------------------
WAY="make install"
boot "$STAGE"
if inside sh -ec 'cp -a /stage/. / && ldconfig && systemd-sysusers && systemd-tmpfiles --create \
        && systemctl daemon-reload && systemctl enable --now smoothtask.socket' >"$WORK/setup.log" 2>&1; then
    pass "install: make install DESTDIR tree, sysusers, tmpfiles, enable --now smoothtask.socket"
else
    fail "install" "$(tail -5 "$WORK/setup.log")"
    finish
fi
checks
stop_container

# --- The Debian package, installed with apt in a fresh container ------------------------------------
# Its dependencies are in the root filesystem already (INCLUDE), so apt needs no network: the
# container has none (--private-network).
if [ -n "$DEB" ]; then
    WAY=deb
    mkdir -p "$WORK/deb"
    cp "$DEB" "$WORK/deb/"
    chmod -R a+rX "$WORK/deb"
    boot "$WORK/deb"
    package=/stage/$(basename "$DEB")
    if inside env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$package" >"$WORK/apt.log" 2>&1; then
        enabled=$(inside systemctl is-enabled smoothtask.socket)
        active=$(inside systemctl is-active smoothtask.socket)
        swift=$(inside ldd /usr/bin/smoothtaskd /usr/bin/smoothtaskctl | grep -e 'not found' -e 'libswift' -e 'libFoundation' -e 'libdispatch')
        if [ "$enabled" = enabled ] && [ "$active" = active ] && [ -z "$swift" ] && inside id smoothtask >/dev/null 2>&1; then
            pass "install: apt-get install $(basename "$DEB"): user smoothtask, smoothtask.socket $enabled and $active, no Swift runtime library needed"
        else
            fail "install" "socket '$enabled'/'$active', ldd: ${swift:-clean}, user: $(inside id smoothtask 2>&1)"
        fi
    else
        fail "install" "apt-get install: $(tail -5 "$WORK/apt.log")"
        finish
    fi
    checks
    stop_container
fi
WAY=
echo "Whole run $(since $started) s"
finish

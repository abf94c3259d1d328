#!/usr/bin/env python3
"""make bench: what SmoothTask costs, as ratios against baselines measured in the same run.

Runs as root on the machine it measures. Builds the C helpers in bench/ (the floors), installs the
peers it compares against (bpftrace, hyperfine: Debian packages), starts the release smoothtaskd on a
socket of its own, measures, prints the tables and writes BENCHMARKS.md. kernel.bpf_stats_enabled
and a tracefs mount it needed are put back as they were, whatever happens.

`--only client` (make bench-client) measures only the client start-up section and rewrites only that
section of BENCHMARKS.md.

Our programs are found at run time, from the link descriptors the daemon holds
(/proc/<pid>/fdinfo: prog_id + tp_name), so a program added to bpf/ shows up without edits here.
"""

import argparse
import contextlib
import glob
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(ROOT, ".build", "bench")
# BENCH_BUILD=debug measures a debug build: enough for `--only events`, whose figures are the kernel
# programs' (the same objects in either build), when a release build would take too long.
RELEASE = os.path.join(ROOT, ".build", os.environ.get("BENCH_BUILD", "release"))
BPF_STATS = "/proc/sys/kernel/bpf_stats_enabled"
TRACEFS = "/sys/kernel/tracing"
BPF_CLANG = os.environ.get("BPF_CLANG", "/opt/swift/usr/bin/clang")

# How long each measurement runs: long enough for thousands of events, short enough that the whole
# bench stays well under 10 minutes on 2 cores.
EVENT_LOAD_SECONDS = 4
GETPPID_CALLS, GETPPID_ROUNDS = 1_000_000, 5
# How long the getppid loop waits for programs others attached to the syscall hooks to go.
FOREIGN_WAIT_SECONDS = 120
SEQUENTIAL_REQUESTS = 10_000
CONCURRENT_CLIENTS, REQUESTS_PER_CLIENT = 100, 100
TICK_WINDOW_SECONDS = {1000: 8, 100: 3}
THREAD_COUNTS = [100, 1000, 10000]
# Issue 17: the tick after this many exited processes stays within 1.2x idle.
CHURN_PROCESSES = 100_000
EXEC_STORM_RATE, EXEC_STORM_SECONDS = 2000, 5
EXITS_SEEN = 100_000
CLIENT_RUNS = 40
# Rounds of the three commands back to back; the section reports the round with the median `status`
# ratio. One hyperfine block is ~0.3 s, and the machine's own noise moves a block by up to a third
# (the hello world alone: 3.1-4.2 ms across runs), so one round's ratio is one sample of a spread.
CLIENT_ROUNDS = 5
# Issue 17's memory rows: connections open at once in a burst (under the 1,024 cap), and how long after
# the burst closes the RSS is read (two collections at the default 1 s).
BURST_CONNECTIONS, BURST_SETTLE_SECONDS = 1000, 2.5
# Issue 15's scrape: this many live processes and busy cgroups, the cgroup series at their maximum.
SCRAPE_PROCESSES, SCRAPE_CGROUPS, SCRAPE_RUNS = 1000, 100, 50

GOALS = {
    "vs_bpftrace": 0.5, "vs_floor": 1.2, "rpc_p50_vs_floor": 1.5,
    "cpu_percent_at_1s": 0.5, "rss_mib": 30,
    "version_vs_hello": 1.5, "status_vs_hello": 2.0,
    "exit_ns": 1500, "storm_cpu_percent": 2.0,
    "scrape_ms": 5.0, "scrape_kb": 200,
    "rpc_concurrent_p50_vs_floor": 2.0, "rss_stretch_mib": 24,
    "idle_tick_us": 500, "after_exits_vs_idle": 1.2,
}

# `python3 bench/bench.py --only SECTION` measures one section and rewrites only its part of BENCHMARKS.md.
CLIENT_HEADING = "## Client start-up"
HISTORY_HEADING = "## History (recording and queries)"
SCRAPE_HEADING = "## One /metrics scrape"
EVENTS_HEADING = "## Per-event cost of each of our eBPF programs"
RPC_HEADING = "## Round trip of `metrics.get`"
MEMORY_HEADING = "## Daemon memory"
TICKS_HEADING = "## Daemon cost per collection tick"
SYSCALLS_HEADING = "## Added cost per syscall seen by a user process"


def log(message):
    print(f"[bench] {message}", flush=True)


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


# ---------------------------------------------------------------------------------------------
# Set-up: peers, helpers, machine state


def ensure_peers(tools=("bpftrace", "hyperfine")):
    """Installs `tools` (Debian packages of the same names) when missing; returns {peer: version or None}."""
    packages = {tool: tool for tool in tools}
    missing = [package for tool, package in packages.items() if shutil.which(tool) is None]
    if missing:
        log(f"installing the peers we compare against (Debian packages): {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, check=False,
                       stdout=subprocess.DEVNULL)
    versions = {}
    for tool in packages:
        if shutil.which(tool) is None:
            log(f"MISSING PEER: {tool} could not be installed; its comparisons are reported as missing")
            versions[tool] = None
        else:
            versions[tool] = run([tool, "--version"]).strip().splitlines()[0]
    return versions


def build_helpers():
    os.makedirs(OUT, exist_ok=True)
    cc = ["cc", "-O2", "-Wall", "-I", BENCH]
    for name, libraries in [("floor_loader", ["-lbpf"]), ("getppid_loop", []), ("rpc_bench", ["-lpthread"]),
                            ("pingpong_server", ["-lpthread"]), ("spawner", ["-lpthread"])]:
        run(cc + ["-o", os.path.join(OUT, name), os.path.join(BENCH, f"{name}.c")] + libraries)
    run([BPF_CLANG, "-g", "-O2", "-target", "bpf", "-idirafter", "/usr/include/x86_64-linux-gnu",
         "-c", os.path.join(BENCH, "floor.bpf.c"), "-o", os.path.join(OUT, "floor.bpf.o")])


def helper(name):
    return os.path.join(OUT, name)


@contextlib.contextmanager
def bpf_stats(value):
    """Sets kernel.bpf_stats_enabled for the block and restores the value it found."""
    with open(BPF_STATS) as file:
        previous = file.read().strip()
    with open(BPF_STATS, "w") as file:
        file.write(str(value))
    try:
        yield
    finally:
        with open(BPF_STATS, "w") as file:
            file.write(previous)


@contextlib.contextmanager
def tracefs_mounted():
    """bpftrace's tracepoint probes read event formats from tracefs; mount it for the run if absent."""
    mounted_here = False
    if not os.path.exists(os.path.join(TRACEFS, "events")):
        log(f"mounting tracefs at {TRACEFS} for bpftrace (unmounted again at the end)")
        mounted_here = subprocess.run(["mount", "-t", "tracefs", "nodev", TRACEFS]).returncode == 0
    try:
        yield
    finally:
        if mounted_here:
            subprocess.run(["umount", TRACEFS])


def machine_details(peers):
    def first_line(command):
        try:
            return run(command).strip().splitlines()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            return "unknown"
    with open("/proc/cpuinfo") as file:
        model = next((line.split(":", 1)[1].strip() for line in file if line.startswith("model name")), "unknown")
    with open("/proc/meminfo") as file:
        memory_kib = int(file.readline().split()[1])
    with open("/etc/debian_version") as file:
        debian = file.read().strip()
    return {
        "kernel": platform.release(), "cpu": model, "cpus": os.cpu_count(),
        "memory": f"{memory_kib / 1048576:.1f} GiB", "debian": debian,
        "swift": first_line(["swift", "--version"]), "bpftrace": peers.get("bpftrace") or "missing",
        "hyperfine": peers.get("hyperfine") or "missing", "cc": first_line(["cc", "--version"]),
        "load_average_at_start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


# ---------------------------------------------------------------------------------------------
# Processes under measurement


class Daemon:
    """The release smoothtaskd on a socket of its own."""

    def __init__(self, directory, binaries=None):
        """`binaries`: the build directory holding smoothtaskd, the release build's unless named."""
        self.socket = os.path.join(directory, "smoothtask.sock")
        self.process = subprocess.Popen(
            # A config file of its own: set_interval must not rewrite the machine's /etc/smoothtask.
            [os.path.join(binaries or RELEASE, "smoothtaskd"), "--socket", self.socket, "--log-level", "warning",
             "--config", os.path.join(directory, "config.json"), "--state-dir", os.path.join(directory, "state"),
             "--metrics-socket-directory", directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            with contextlib.suppress(OSError):
                self.call("config.get")
                return
            time.sleep(0.05)
        raise RuntimeError("smoothtaskd did not start within 20 s")

    @property
    def pid(self):
        return self.process.pid

    def call(self, method, params=None):
        return json.loads(self.call_raw(method, params))

    def call_raw(self, method, params=None):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(self.socket)
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}).encode()
            connection.sendall(struct.pack(">I", len(body)) + body)
            (length,) = struct.unpack(">I", connection.recv(4, socket.MSG_WAITALL))
            return connection.recv(length, socket.MSG_WAITALL)

    def wait_for_collections(self, count, timeout=30):
        """Returns once `count` collections have landed after this call: past start-up (BPF loads, the
        budget's self-test), which would otherwise share the CPUs with what a section measures."""
        deadline = time.time() + timeout
        seen = None
        while time.time() < deadline:
            with contextlib.suppress(OSError, KeyError, ValueError):
                timestamp = self.call("metrics.get")["result"]["timestamp"]
                if timestamp != seen:
                    count -= 0 if seen is None else 1
                    seen = timestamp
                    if count <= 0:
                        return
            time.sleep(0.05)
        raise RuntimeError(f"smoothtaskd took no collection within {timeout} s")

    def set_interval(self, milliseconds):
        self.call("config.set", {"collection_interval_ms": milliseconds})

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=20)


class Background:
    """A helper that prints a line when ready and runs until its stdin closes."""

    def __init__(self, command, ready):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{command[0]} exited: {self.process.stderr.read().strip()}")
            self.lines.append(line.strip())
            if ready in line:
                return

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # bpftrace exits on SIGINT; the helpers on stdin EOF
        try:
            # Drains what it prints on the way out (bpftrace dumps its maps), which could fill the pipe.
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def bpftrace_script(path):
    return Background(["bpftrace", path], ready="Attaching")


# ---------------------------------------------------------------------------------------------
# BPF program discovery and statistics


def fdinfo(pid):
    for path in glob.glob(f"/proc/{pid}/fdinfo/*"):
        with contextlib.suppress(OSError):
            with open(path) as file:
                yield dict(line.rstrip("\n").split(":\t", 1) for line in file if ":\t" in line)


def attached_programs(pid):
    """{prog id: hook} for every program `pid` holds a tracepoint link to (tp_btf and raw_tp links)."""
    return {int(info["prog_id"]): info.get("tp_name", "?") for info in fdinfo(pid) if "link_type" in info and "prog_id" in info}


def held_programs(pid):
    """Every program id `pid` holds a descriptor of (bpftrace attaches through perf events, not links)."""
    return {int(info["prog_id"]) for info in fdinfo(pid) if "prog_type" in info and "prog_id" in info}


def program_stats(ids):
    """{id: (name, run_cnt, run_time_ns)} from bpftool."""
    stats = {}
    for prog_id in ids:
        info = json.loads(run(["bpftool", "prog", "show", "id", str(prog_id), "--json"]))
        stats[prog_id] = (info.get("name", "?"), info.get("run_cnt", 0), info.get("run_time_ns", 0))
    return stats


def measure_events(ids, load):
    """Runs `load` and returns {id: (name, runs, ns)} for the runs it caused."""
    before = program_stats(ids)
    load()
    after = program_stats(ids)
    return {i: (after[i][0], after[i][1] - before[i][1], after[i][2] - before[i][2]) for i in ids}


def event_load(workdir):
    """A mix that fires every hook we might attach to: syscalls, context switches, disk and network."""
    stress = subprocess.Popen(["stress-ng", "--switch", "1", "--sock", "1", "--hdd", "1", "--hdd-bytes", "16M",
                               "--timeout", f"{EVENT_LOAD_SECONDS}s", "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    deadline = time.time() + EVENT_LOAD_SECONDS
    while time.time() < deadline:
        run([helper("getppid_loop"), "200000", "1"])
    stress.wait()


def per_event(ns, runs):
    return ns / runs if runs else None


def script_hooks(path):
    with open(path) as file:
        for line in file:
            if line.startswith("// hooks:"):
                return line.split(":", 1)[1].split()
    return []


# ---------------------------------------------------------------------------------------------
# Phases


def phase_programs(workdir, peers):
    log(f"per-event cost: ours, the floor and bpftrace, each under {EVENT_LOAD_SECONDS} s of mixed load")

    def load():
        event_load(workdir)
    result = {"ours": [], "floor": {}, "bpftrace": {}}
    with bpf_stats(1):
        daemon = Daemon(workdir)
        try:
            # Every program on, off-by-default ones included: the goal is the cost with all of them.
            # Every program on, and none shed by the overhead budget while the load runs.
            daemon.call("config.set", {"enable_sched_latency": True, "max_overhead_percent": 0})
            time.sleep(0.5)
            hooks = attached_programs(daemon.pid)
            measured = measure_events(list(hooks), load)
        finally:
            daemon.stop()
        for prog_id, (name, runs, ns) in sorted(measured.items()):
            result["ours"].append({"id": prog_id, "name": name, "hook": hooks[prog_id], "runs": runs,
                                   "ns_per_event": per_event(ns, runs), "ns": ns})

        floor = Background([helper("floor_loader"), helper("floor.bpf.o"), *sorted(set(hooks.values()))], ready="ready")
        try:
            floor_ids = {int(line.split()[1]): line.split()[0] for line in floor.lines if line != "ready"}
            for prog_id, (_, runs, ns) in measure_events(list(floor_ids), load).items():
                result["floor"][floor_ids[prog_id]] = {"runs": runs, "ns_per_event": per_event(ns, runs)}
        finally:
            floor.stop()

        for path in sorted(glob.glob(os.path.join(BENCH, "bpftrace", "*.bt"))):
            name = os.path.basename(path)[:-3]
            entry = {"hooks": script_hooks(path)}
            result["bpftrace"][name] = entry
            if peers["bpftrace"] is None:
                entry["missing"] = "bpftrace is not installed"
                continue
            try:
                tracer = bpftrace_script(path)
            except RuntimeError as error:
                entry["missing"] = str(error)
                continue
            try:
                time.sleep(0.5)  # bpftrace attaches its probes after printing "Attaching"
                measured = measure_events(list(held_programs(tracer.process.pid)), load)
            finally:
                tracer.stop()
            runs = sum(runs for _, runs, _ in measured.values())
            ns = sum(ns for _, _, ns in measured.values())
            entry.update(runs=runs, ns_per_event=per_event(ns, runs))
    return result


def syscall_hook_programs():
    """Ids of the programs anyone has linked to sys_enter or sys_exit (raw_tp and tp_btf links)."""
    links = json.loads(run(["bpftool", "link", "list", "--json"]))
    return {link["prog_id"] for link in links if link.get("tp_name") in ("sys_enter", "sys_exit")}


def getppid_ns(own_pid=None):
    """The loop's ns per call, once no program but those `own_pid` holds is on the syscall hooks: another
    daemon or bench on the machine would add its cost to every row, the baseline included. Waits up to
    FOREIGN_WAIT_SECONDS for them to go, then measures anyway and says so."""
    own = set(attached_programs(own_pid)) if own_pid else set()
    deadline = time.time() + FOREIGN_WAIT_SECONDS
    while True:
        quiet = not syscall_hook_programs() - own
        # bpf_stats off for the loop itself, whoever turned it on: with it on, every program run
        # pays two clock reads, which would weigh on a hook with two programs twice.
        with bpf_stats(0):
            value = float(run([helper("getppid_loop"), str(GETPPID_CALLS), str(GETPPID_ROUNDS)]))
        if quiet and not syscall_hook_programs() - own:
            return value
        if time.time() > deadline:
            log(f"getppid: other programs stayed on sys_enter/sys_exit for {FOREIGN_WAIT_SECONDS} s; "
                "this row includes their cost")
            return value
        time.sleep(2)


def phase_syscalls(workdir, peers):
    log("added cost per syscall: a getppid loop with nothing attached, ours, the floor, bpftrace")
    result = {}
    baselines = [getppid_ns()]
    daemon = Daemon(workdir)
    try:
        result["ours"] = getppid_ns(daemon.pid)
    finally:
        daemon.stop()
    # The bare counter on each raw_syscalls hook: the goal is against sys_enter's (issue 17), and
    # sys_exit's is where the syscalls program runs.
    for key, tracepoint in [("floor", "sys_enter"), ("floor_exit", "sys_exit")]:
        floor = Background([helper("floor_loader"), helper("floor.bpf.o"), tracepoint], ready="ready")
        try:
            result[key] = getppid_ns(floor.process.pid)
        finally:
            floor.stop()
    if peers["bpftrace"] is not None:
        tracer = bpftrace_script(os.path.join(BENCH, "bpftrace", "sys_exit.bt"))
        try:
            time.sleep(0.5)
            result["bpftrace"] = getppid_ns()
        finally:
            tracer.stop()
    baselines.append(getppid_ns())
    # The fastest baseline: the one least disturbed by whatever else the machine was doing.
    result["nothing"] = min(baselines)
    return result


def percentiles(command):
    p50, p99, rate = run(command).split()
    return {"p50_us": float(p50), "p99_us": float(p99), "per_second": float(rate)}


def phase_rpc(workdir, peers):
    log("round trips: metrics.get over the socket vs a C ping-pong with the same framing and reply")
    result = {}
    daemon = Daemon(workdir)
    floor = None
    try:
        time.sleep(1.2)  # a collection with real numbers, so the reply has its real size
        reply_file = os.path.join(workdir, "reply.json")
        with open(reply_file, "wb") as file:
            file.write(daemon.call_raw("metrics.get"))
        result["reply_bytes"] = os.path.getsize(reply_file)
        floor_socket = os.path.join(workdir, "pingpong.sock")
        floor = Background([helper("pingpong_server"), floor_socket, reply_file], ready="ready")
        for label, clients, requests in [("sequential", 1, SEQUENTIAL_REQUESTS),
                                         ("concurrent", CONCURRENT_CLIENTS, REQUESTS_PER_CLIENT)]:
            result[label] = {
                "ours": percentiles([helper("rpc_bench"), daemon.socket, str(clients), str(requests), "metrics.get"]),
                "floor": percentiles([helper("rpc_bench"), floor_socket, str(clients), str(requests), "metrics.get"]),
            }
        result["status_process"] = status_process_time(daemon.socket, workdir, peers)
    finally:
        if floor:
            floor.stop()
        daemon.stop()
    return result


def smaps_rollup_mib(pid):
    """Resident memory of `pid` by kind (/proc/<pid>/smaps_rollup), MiB."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return {"rss": fields.get("Rss", 0), "anonymous": fields.get("Anonymous", 0),
            "file": fields.get("Rss", 0) - fields.get("Anonymous", 0)}


def connection_burst(socket_path, connections):
    """`connections` clients connected at once, each making a status and a metrics.get call, then all closed."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, connections + 256)), hard))
    sockets = []
    try:
        for _ in range(connections):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(socket_path)
            sockets.append(connection)
        for method in ("status", "metrics.get"):
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method}).encode()
            for connection in sockets:
                connection.sendall(struct.pack(">I", len(body)) + body)
            for connection in sockets:
                (length,) = struct.unpack(">I", connection.recv(4, socket.MSG_WAITALL))
                if len(connection.recv(length, socket.MSG_WAITALL)) != length:
                    raise RuntimeError("burst: a reply was cut short")
    finally:
        for connection in sockets:
            connection.close()


def phase_memory(workdir):
    log(f"daemon memory: RSS at start and after {BURST_CONNECTIONS:,}-connection bursts")
    daemon = Daemon(workdir)
    try:
        time.sleep(BURST_SETTLE_SECONDS)
        rows = [("at start", smaps_rollup_mib(daemon.pid))]
        for burst in ("first", "second"):
            connection_burst(daemon.socket, BURST_CONNECTIONS)
            time.sleep(BURST_SETTLE_SECONDS)
            rows.append((f"after a {burst} burst of {BURST_CONNECTIONS:,} connections (closed, {BURST_SETTLE_SECONDS} s later)",
                         smaps_rollup_mib(daemon.pid)))
    finally:
        daemon.stop()
    return rows


def memory_section(rows):
    lines = [MEMORY_HEADING, "",
             f"The release smoothtaskd on its own socket (/proc/<pid>/smaps_rollup): after start-up and "
             f"{BURST_SETTLE_SECONDS} s of collections, then after each burst of {BURST_CONNECTIONS:,} clients "
             f"connected at once, each calling status and metrics.get, all closed. File-backed: pages of the "
             f"executable's code, the libraries and the mmapped BPF "
             f"maps. Goal: RSS at most {GOALS['rss_mib']} MiB (stretch {GOALS['rss_stretch_mib']} MiB).", "",
             "| when | RSS MiB | anonymous MiB | file-backed MiB | |", "|---|---:|---:|---:|---|"]
    for label, row in rows:
        note = verdict(row["rss"] / GOALS["rss_mib"], 1.0)
        if row["rss"] <= GOALS["rss_stretch_mib"]:
            note += f" (and the {GOALS['rss_stretch_mib']} MiB stretch)"
        lines.append(f"| {label} | {row['rss']:.1f} | {row['anonymous']:.1f} | {row['file']:.1f} | {note} |")
    return lines + [""]


def status_process_time(socket_path, workdir, peers):
    """Wall time of `smoothtaskctl status` as a process, next to the C client making the same call."""
    ctl = f"{os.path.join(RELEASE, 'smoothtaskctl')} status --socket {socket_path}"
    floor = f"{helper('rpc_bench')} {socket_path} 1 1 status"
    if peers["hyperfine"] is None:
        return {"missing": "hyperfine is not installed"}
    export = os.path.join(workdir, "hyperfine.json")
    run(["hyperfine", "-N", "--warmup", "3", "--runs", "40", "--export-json", export, ctl, floor])
    with open(export) as file:
        results = json.load(file)["results"]
    return {"ours_ms": results[0]["median"] * 1000, "floor_ms": results[1]["median"] * 1000}


def hello_world(workdir):
    """A Swift hello world built with swiftc -O in this run: what starting any Swift process costs here."""
    source = os.path.join(workdir, "hello.swift")
    with open(source, "w") as file:
        file.write('print("hello")\n')
    binary = os.path.join(workdir, "hello")
    swift = shutil.which("swift")
    swiftc = os.path.join(os.path.dirname(swift), "swiftc") if swift else "swiftc"
    run([swiftc, "-O", source, "-o", binary])
    return binary


def phase_client(workdir, peers):
    """Wall time of `smoothtaskctl --version` and `status` as processes, next to a Swift hello world."""
    log(f"client start-up: smoothtaskctl --version and status vs a Swift hello world, hyperfine median of {CLIENT_RUNS}, "
        f"{CLIENT_ROUNDS} rounds")
    result = {"load_average": " ".join(f"{value:.2f}" for value in os.getloadavg())}
    if peers["hyperfine"] is None:
        result["missing"] = "hyperfine is not installed"
        return result
    hello = hello_world(workdir)
    ctl = os.path.join(RELEASE, "smoothtaskctl")
    export = os.path.join(workdir, "client.json")
    daemon = Daemon(workdir)
    rounds = []
    try:
        # `status` is timed against a daemon that is running, not one still starting (its start-up
        # takes a CPU for about a second: 1.67-2.41x in six runs of this section without this wait).
        daemon.wait_for_collections(2)
        for _ in range(CLIENT_ROUNDS):
            run(["hyperfine", "-N", "--warmup", "10", "--runs", str(CLIENT_RUNS), "--export-json", export,
                 hello, f"{ctl} --version", f"{ctl} status --socket {daemon.socket}"])
            with open(export) as file:
                entries = json.load(file)["results"]
            # CPU time (user + system, mean) moves less than wall time when other work shares the cores.
            rounds.append({key: {"ms": entry["median"] * 1000, "cpu_ms": (entry["user"] + entry["system"]) * 1000}
                           for key, entry in zip(("hello", "version", "status"), entries)})
    finally:
        daemon.stop()
    rounds.sort(key=lambda entry: entry["status"]["ms"] / entry["hello"]["ms"])
    result.update(rounds[len(rounds) // 2])
    result["status_ratios"] = [entry["status"]["ms"] / entry["hello"]["ms"] for entry in rounds]
    result["version_ratios"] = sorted(entry["version"]["ms"] / entry["hello"]["ms"] for entry in rounds)
    return result


def scrape_once(path):
    """One GET /metrics over the Unix socket at `path`: (seconds, body bytes)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        started = time.perf_counter()
        connection.connect(path)
        connection.sendall(b"GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := connection.recv(1 << 16):
            chunks.append(chunk)
        elapsed = time.perf_counter() - started
    reply = b"".join(chunks)
    return elapsed, reply.split(b"\r\n\r\n", 1)[1]


def phase_scrape(workdir):
    log(f"scrape: /metrics with {SCRAPE_PROCESSES} processes and {SCRAPE_CGROUPS} busy cgroups, {SCRAPE_RUNS} scrapes")
    # cgroup v2 alone, or its hierarchy of a hybrid (v1 + v2) set-up.
    root = next((path for path in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified")
                 if os.path.exists(os.path.join(path, "cgroup.procs")) and os.path.exists(os.path.join(path, "cgroup.subtree_control"))), None)
    if root is None:
        return {"missing": "no cgroup v2 hierarchy at /sys/fs/cgroup or /sys/fs/cgroup/unified"}
    parent = os.path.join(root, f"smoothtask-bench-{os.getpid()}")
    os.mkdir(parent)
    sleepers, cgroups = [], []
    daemon = Daemon(workdir)
    spawner = Background([helper("spawner"), "processes", str(SCRAPE_PROCESSES)], ready="ready")
    try:
        endpoint = os.path.join(workdir, "metrics.sock")
        daemon.call("config.set", {"prometheus_listen": endpoint, "prometheus_cgroup_limit": 100})
        for index in range(SCRAPE_CGROUPS):
            cgroup = os.path.join(parent, f"unit{index}.service")
            os.mkdir(cgroup)
            cgroups.append(cgroup)
            # Wakes 10 times a second, so every cgroup has CPU in every window.
            sleeper = subprocess.Popen(["/bin/sh", "-c", "while :; do sleep 0.1; done"])
            with open(os.path.join(cgroup, "cgroup.procs"), "w") as procs:
                procs.write(str(sleeper.pid))
            sleepers.append(sleeper)
        time.sleep(3)  # a few collections, so every cgroup has its series
        rounds = [scrape_once(endpoint) for _ in range(SCRAPE_RUNS)]
        times = sorted(seconds * 1000 for seconds, _ in rounds)
        body = rounds[-1][1].decode()
        render = {}
        for line in body.splitlines():
            for kind in ("sum", "count"):
                if line.startswith(f"smoothtask_scrape_duration_seconds_{kind} "):
                    render[kind] = float(line.split()[1])
        return {
            "p50_ms": times[len(times) // 2], "max_ms": times[-1], "kb": len(rounds[-1][1]) / 1000,
            "render_ms": render["sum"] / render["count"] * 1000 if render.get("count") else None,
            "series": sum(1 for line in body.splitlines() if line and not line.startswith("#")),
            "cgroup_series": sum(1 for line in body.splitlines() if line.startswith("smoothtask_cgroup_cpu_seconds_total")),
        }
    finally:
        spawner.stop()
        daemon.stop()
        for sleeper in sleepers:
            sleeper.kill()
            sleeper.wait()
        for cgroup in reversed(cgroups):
            with contextlib.suppress(OSError):
                os.rmdir(cgroup)
        with contextlib.suppress(OSError):
            os.rmdir(parent)


def scrape_section(scrape):
    """The scrape section's lines, ending with a blank line."""
    lines = [SCRAPE_HEADING, "",
             f"The release daemon with {SCRAPE_PROCESSES:,} live processes (bench/spawner.c) and {SCRAPE_CGROUPS} busy "
             "cgroups (one shell waking 10 times a second in each), `prometheus_cgroup_limit` at its maximum (100); "
             f"{SCRAPE_RUNS} sequential `GET /metrics` over its Unix socket, each timed from connect to the last byte. "
             f"Render: the daemon's own `smoothtask_scrape_duration_seconds` mean. Goals: at most {GOALS['scrape_ms']} ms "
             f"and {GOALS['scrape_kb']} KB.", ""]
    if "missing" in scrape:
        return lines + [f"MISSING: {scrape['missing']}", ""]
    return lines + [
        "| | figure | goal | |", "|---|---:|---:|---|",
        f"| scrape p50 (client) | {scrape['p50_ms']:.2f} ms | {GOALS['scrape_ms']} ms | {verdict(scrape['p50_ms'], GOALS['scrape_ms'])} |",
        f"| scrape max (client) | {scrape['max_ms']:.2f} ms | | |",
        f"| render mean (daemon) | {fmt(scrape['render_ms'], '.2f')} ms | | |",
        f"| body | {scrape['kb']:.1f} KB | {GOALS['scrape_kb']} KB | {verdict(scrape['kb'], GOALS['scrape_kb'])} |",
        f"| samples | {scrape['series']:,} (cgroup series {scrape['cgroup_series']}) | | |", ""]


def process_cpu_ns(pid):
    """On-CPU nanoseconds of `pid` with its exited threads (/proc/<pid>/stat utime+stime, 10 ms ticks):
    schedstat per thread misses the threads that ended, which a storm's window may hold."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as file:
        line = next(line for line in file if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def thread_cpu_ns(pid):
    """On-CPU nanoseconds of each thread of `pid` by tid (schedstat), for `cpu_ns_since`."""
    threads = {}
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        with contextlib.suppress(OSError):
            with open(path) as file:
                threads[path] = int(file.read().split()[0])
    return threads


def cpu_ns_since(pid, before):
    """What the threads of `pid` used since `before` (thread_cpu_ns): a plain sum goes backwards when a
    thread ends in the window; a thread new in it counts whole."""
    return sum(max(0, value - before.get(path, 0)) for path, value in thread_cpu_ns(pid).items())


def measure_ticks(daemon, interval_ms):
    window = TICK_WINDOW_SECONDS[interval_ms]
    time.sleep(interval_ms / 1000 + 1)  # the map and baselines settle on the new population
    before, start = thread_cpu_ns(daemon.pid), time.monotonic()
    time.sleep(window)
    used, elapsed = cpu_ns_since(daemon.pid, before), time.monotonic() - start
    ticks = elapsed * 1000 / interval_ms
    return {"tick_us": used / ticks / 1000, "cpu_percent": used / (elapsed * 1e9) * 100, "rss_mib": rss_mib(daemon.pid)}


def phase_ticks(workdir):
    log("collection ticks: daemon CPU per tick and RSS with 100 to 10,000 threads alive, at 1 s and 100 ms")
    result = {}
    for interval_ms in TICK_WINDOW_SECONDS:
        daemon = Daemon(workdir)
        try:
            daemon.set_interval(interval_ms)
            # The tick itself: with the default budget, spawning 10,000 processes is a storm that sheds
            # (and then re-attaches) programs inside the window, which measures shedding, not the tick.
            # 100% keeps the governor's per-tick work in the figure, as the default 1% has it (with 0,
            # no limit, the daemon works the budget out only when asked), and never sheds here.
            daemon.call("config.set", {"max_overhead_percent": 100})
            rows = {"idle": measure_ticks(daemon, interval_ms)}
            # Right after idle, before the live rows: the row is about what the dead leave behind, not
            # about the aftermath of 10,000 live processes ending (their exits, the buffers let go).
            run([helper("spawner"), "churn", str(CHURN_PROCESSES)])
            rows[f"after {CHURN_PROCESSES:,} exited processes"] = measure_ticks(daemon, interval_ms)
            for kind, counts in [("threads", THREAD_COUNTS), ("processes", [THREAD_COUNTS[-1]])]:
                for count in counts:
                    spawner = Background([helper("spawner"), kind, str(count)], ready="ready")
                    try:
                        rows[f"{count} {kind}"] = measure_ticks(daemon, interval_ms)
                    finally:
                        spawner.stop()
        finally:
            daemon.stop()
        result[interval_ms] = rows
    return result


def phase_exits(workdir):
    log(f"exits: the exit path per process, the daemon under a fork+exec storm, memory after {EXITS_SEEN:,} exits")
    result = {}
    with bpf_stats(1):
        daemon = Daemon(workdir)
        try:
            ids = list(attached_programs(daemon.pid))
            time.sleep(2)
            before, start = process_cpu_ns(daemon.pid), time.monotonic()
            time.sleep(2 * EXEC_STORM_SECONDS)
            result["idle_cpu_percent"] = (process_cpu_ns(daemon.pid) - before) / ((time.monotonic() - start) * 1e9) * 100
            storm = {}

            def load():
                before, start = process_cpu_ns(daemon.pid), time.monotonic()
                storm.update(json.loads(run([helper("spawner"), "execs", str(EXEC_STORM_RATE), str(EXEC_STORM_SECONDS)])))
                time.sleep(1.5)  # the tick that takes the storm's last exits
                storm["daemon_ns"], storm["elapsed"] = process_cpu_ns(daemon.pid) - before, time.monotonic() - start
            measured = measure_events(ids, load)
            by_name = {name: (runs, ns) for name, runs, ns in measured.values()}
            result["storm"] = storm
            result["programs"] = {name: {"runs": runs, "ns_per_event": per_event(ns, runs)}
                                  for name, (runs, ns) in by_name.items() if name in ("record_exit", "record_exec")}
            rss_start = rss_mib(daemon.pid)
            run([helper("spawner"), "churn", str(EXITS_SEEN // 5)])
            time.sleep(2)
            rss_fifth = rss_mib(daemon.pid)
            run([helper("spawner"), "churn", str(EXITS_SEEN - EXITS_SEEN // 5)])
            time.sleep(2)
            status = daemon.call("status")["result"]
            result["memory"] = {"rss_start": rss_start, "rss_fifth": rss_fifth, "rss_all": rss_mib(daemon.pid),
                                "list": status.get("exited_processes", {})}
        finally:
            daemon.stop()
    return result


# Real collections the history bench cycles through, and how far apart they are taken.
HISTORY_SAMPLES = 97
HISTORY_SAMPLE_INTERVAL_MS = 250


# Issue 14's goal: a day at 1 s with 300 live processes in the pages retention keeps at the default
# 256 MiB (HistoryRecorder.pageBudget: 256 MiB less three times the 4 MiB write-ahead log).
HISTORY_GOAL_DAY_MIB = 244
# The real recording: the daemon at 1 s beside this many bench/spawner.c processes, each waking once a
# second, so every one is active in every window. The first minute names every process already running
# (a `process` row each, written once) and is left out; the span after it is measured, a few minutes:
# enough collections for a per-collection figure, short enough for the section.
HISTORY_REAL_PROCESSES = 300
HISTORY_WARM_UP_SECONDS = 60
HISTORY_REAL_SECONDS = 180


def store_pages(path):
    """What a history store holds, read beside the daemon writing it (read-only: a snapshot that includes
    what the write-ahead log holds): bytes of the pages in use (the database's pages less its freelist;
    the log itself left out, a fixed few MiB whatever the history holds), of every page (what the file
    is once checkpointed), the collections and the newest one's time, each table's and index's pages and
    the payload in them (dbstat: a page holds several rows, so a small table's pages move a page at a
    time, its payload by the row), and the file and log on disk."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
        count = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        collections, newest = db.execute("SELECT count(*), max(t) FROM collection").fetchone()
        tables = {name: {"pages": pages, "payload": payload} for name, pages, payload in
                  db.execute("SELECT name, sum(pgsize), sum(payload) FROM dbstat GROUP BY name")}
    wal = path + "-wal"
    return {"used": (count - free) * page, "pages": count * page, "collections": collections, "newest": newest,
            "tables": tables, "file": os.path.getsize(path), "wal": os.path.getsize(wal) if os.path.exists(wal) else 0}


def collection_blob_bytes(path, after, until):
    """Bytes of the three blobs of the collections taken in (after, until] (Unix ms): the system figures,
    the process rows and the cgroup rows (before SQLite's row and page overhead)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        metrics, processes, cgroups = db.execute(
            "SELECT total(length(metrics)), total(length(processes)), total(length(cgroups)) FROM collection "
            "WHERE t > ? AND t <= ?", (after, until)).fetchone()
    return {"system figures (metrics)": metrics, "process rows (processes)": processes, "cgroup rows (cgroups)": cgroups}


def host_figures():
    """What else the host runs: its load average, its processes, and how many it has started since boot."""
    with open("/proc/stat") as file:
        forks = next(int(line.split()[1]) for line in file if line.startswith("processes "))
    return {"load": os.getloadavg(), "processes": sum(1 for name in os.listdir("/proc") if name.isdigit()),
            "forks": forks}


def recording_figures(path, start, end):
    """Per collection between two store_pages readings of one store (retention cut nothing in between)."""
    count = end["collections"] - start["collections"]
    used = (end["used"] - start["used"]) / count
    blobs = collection_blob_bytes(path, start["newest"], end["newest"])
    return {"collections": count, "bytes_per_collection": used, "mib_per_day": used * 86_400 / 1_048_576,
            "file_bytes_per_collection": (end["pages"] - start["pages"]) / count,
            "tables": {table: {key: (value - start["tables"].get(table, {}).get(key, 0)) / count for key, value in sizes.items()}
                       for table, sizes in end["tables"].items()},
            "blobs": {blob: size / count for blob, size in blobs.items()},
            "end": {key: end[key] for key in ("collections", "used", "file", "wal")}}


def record_beside_spawner(workdir, builds, seconds):
    """Real recordings at 1 s, one per build in `builds` ({name: the directory of its smoothtaskd}), each
    daemon in a state directory of its own beside the same HISTORY_REAL_PROCESSES spawner processes and
    whatever the host runs, so they see the same processes and the same churn. Returns the host's figures
    at the start, after the warm-up and at the end, and per build the store's figures per collection over
    the `seconds` after the warm-up."""
    spawner = Background([helper("spawner"), "processes", str(HISTORY_REAL_PROCESSES)], ready="ready")
    host, daemons, start, end = {"start": host_figures()}, {}, {}, {}
    try:
        for name, binaries in builds.items():
            os.makedirs(os.path.join(workdir, name), exist_ok=True)
            daemons[name] = Daemon(os.path.join(workdir, name), binaries)
            daemons[name].set_interval(1000)
        stores = {name: os.path.join(workdir, name, "state", "history.sqlite") for name in daemons}
        time.sleep(HISTORY_WARM_UP_SECONDS)
        start = {name: store_pages(path) for name, path in stores.items()}
        host["measured"] = host_figures()
        time.sleep(seconds)
        end = {name: store_pages(path) for name, path in stores.items()}
        host["end"] = host_figures()
    finally:
        for daemon in daemons.values():
            daemon.stop()
        spawner.stop()
    return {"seconds": seconds, "host": host,
            "builds": {name: recording_figures(stores[name], start[name], end[name]) for name in daemons}}


def phase_history(workdir):
    """Bytes per collection of a real recording by the release daemon beside 300 processes; then the
    synthetic stress case: recording cost per tick and bytes per collection at 300 processes, each busy
    at a random, noisy CPU level, and one-hour range queries. The synthetic hour is written through the
    daemon's own HistoryRecorder by history-bench (the system figures are real metrics.get answers of the
    bench daemon)."""
    log(f"history: a real recording at 1 s beside {HISTORY_REAL_PROCESSES} processes "
        f"({HISTORY_WARM_UP_SECONDS} s warm-up, {HISTORY_REAL_SECONDS} s measured)")
    real = record_beside_spawner(os.path.join(workdir, "history-real"), {"release": RELEASE}, HISTORY_REAL_SECONDS)
    log("history: recording cost and bytes per collection at 300 synthetic processes, one-hour range queries")
    daemon = Daemon(workdir)
    series = []
    try:
        # Distinct real collections for the synthetic hour to cycle through: consecutive collections
        # are compressed against each other, so one answer repeated would flatter the bytes.
        daemon.set_interval(HISTORY_SAMPLE_INTERVAL_MS)
        time.sleep(1.5)
        while len(series) < HISTORY_SAMPLES:
            metrics = daemon.call("metrics.get")["result"]
            if not series or metrics["timestamp"] != series[-1]["timestamp"]:
                series.append(metrics)
            time.sleep(HISTORY_SAMPLE_INTERVAL_MS / 1000 / 2)
    finally:
        daemon.stop()
    sample = os.path.join(workdir, "metrics.json")
    with open(sample, "w") as file:
        json.dump(series, file)
    synthetic = json.loads(run([os.path.join(RELEASE, "history-bench"), os.path.join(workdir, "history-bench"), sample]))
    return {"real": real, "synthetic": synthetic}


def real_recording_lines(real):
    """The real recording's rows: bytes per collection and a day of them against the goal, and where they go."""
    figures, host = real["builds"]["release"], real["host"]

    def load(moment):
        return " / ".join(f"{value:.2f}" for value in host[moment]["load"])
    day = figures["mib_per_day"]
    lines = ["### A real recording", "",
             f"The release smoothtaskd recording at 1 s into a state directory of its own (default retention), beside "
             f"{HISTORY_REAL_PROCESSES} bench/spawner.c processes (`spawner processes {HISTORY_REAL_PROCESSES}`: each "
             "sleeps one second at a time, so it wakes once a second and is active in every collection window, with "
             "next to no CPU, syscalls or faults) and whatever else this host ran: "
             f"{host['start']['processes']} processes on the host at the start (the spawner's included), "
             f"{host['end']['processes']} at the end, {host['end']['forks'] - host['measured']['forks']:,} started "
             f"during the measured span; load average {load('start')} at the start, {load('measured')} after the "
             f"warm-up, {load('end')} at the end. The first {HISTORY_WARM_UP_SECONDS} s (which write a `process` row "
             f"for every process already running) are left out; measured: the {real['seconds']} s after them, "
             f"{figures['collections']} collections. Pages in use are the file's pages less its freelist, the "
             "write-ahead log left out as in the synthetic rows below.", "",
             "| figure | value |", "|---|---:|",
             f"| pages in use per collection, bytes | {figures['bytes_per_collection']:,.0f} |",
             f"| a day at 1 s in pages in use, MiB (goal: {HISTORY_GOAL_DAY_MIB}, what retention keeps of the "
             f"default 256) | {day:.0f}: {verdict(day, HISTORY_GOAL_DAY_MIB)} |",
             f"| database file per collection, bytes (every page, free ones too: what the file grows by once "
             f"checkpointed) | {figures['file_bytes_per_collection']:,.0f} |",
             f"| on disk at the end: database file / write-ahead log, MiB ({figures['end']['collections']} collections) "
             f"| {figures['end']['file'] / 1_048_576:.1f} / {figures['end']['wal'] / 1_048_576:.1f} |", "",
             "| where the pages in use go (dbstat; pages move 16 KiB at a time) | pages, bytes per collection "
             "| payload, bytes per collection |", "|---|---:|---:|"]
    for table, sizes in sorted(figures["tables"].items(), key=lambda item: -item[1]["pages"]):
        lines.append(f"| {table} | {sizes['pages']:,.0f} | {sizes['payload']:,.0f} |")
    lines += ["", "| inside the `collection` rows (blob lengths) | bytes per collection |", "|---|---:|"]
    lines += [f"| {blob} | {size:,.0f} |" for blob, size in figures["blobs"].items()]
    return lines + [""]


def history_section(history):
    synthetic = history["synthetic"]
    return [HISTORY_HEADING, "",
            f"Goal (issue 14): a day at 1 s with 300 live processes in the default 256 MiB, of which retention keeps "
            f"{HISTORY_GOAL_DAY_MIB} MiB of pages (the rest is the write-ahead log's).", "",
            *real_recording_lines(history["real"]),
            "### Synthetic: every process at a random, noisy CPU level (the stress case)", "",
            f"bench/HistoryBench (release) writes one hour of collections at 1 s through HistoryRecorder, the daemon's "
            f"writer: each with {synthetic['processes']} processes all active in the window (each at a CPU level of its "
            "own spread log-uniformly from 20 µs to 200 ms a second, ±50% from second to second, syscalls in proportion, "
            "faults in bursts, disk and network from a few; two exits per collection), 40 cgroups and real metrics.get "
            f"answers ({synthetic['metrics_samples']} taken {HISTORY_SAMPLE_INTERVAL_MS} ms apart, cycled; "
            f"{synthetic['metrics_json_bytes']:,} bytes of JSON on average) whose per-process lists are made from the "
            "same window's processes, as the collector makes them. Seeded: every run writes the same hour. Noise in "
            "every figure of every process, every second, leaves the row codec and zlib little to take out.", "",
            "| figure | value |", "|---|---:|",
            f"| write per collection, mean µs | {synthetic['write_us_mean']:.0f} |",
            f"| write per collection, p50 / p99 µs | {synthetic['write_us_p50']:.0f} / {synthetic['write_us_p99']:.0f} |",
            f"| bytes per collection (file and write-ahead log / collections) | {synthetic['bytes_per_collection']:,.0f} |",
            f"| a day at 1 s, MiB (every process active every second) | {synthetic['day_at_1s_mib']:.0f} |",
            f"| pages in use per collection (without the write-ahead log) | {synthetic['store_bytes_per_collection']:,.0f} |",
            f"| a day at 1 s in pages in use, MiB (goal: {HISTORY_GOAL_DAY_MIB}) | {synthetic['day_at_1s_store_mib']:.0f}: "
            f"{verdict(synthetic['day_at_1s_store_mib'], HISTORY_GOAL_DAY_MIB)} |",
            f"| processes.top over one hour, ms ({synthetic['query_hour_process_rows']:,} rows) | {synthetic['query_hour_processes_ms']:.0f} |",
            f"| cgroups.top over one hour, ms | {synthetic['query_hour_cgroups_ms']:.0f} |",
            f"| metrics.get at a moment, ms | {synthetic['query_at_ms']:.2f} |", ""]


def exits_section(exits, programs):
    storm, memory = exits["storm"], exits["memory"]
    rate = storm["processes"] / storm["seconds"]
    storm_percent = storm["daemon_ns"] / (storm["elapsed"] * 1e9) * 100
    # The daemon's cost of one exit, scaled to the goal's rate (this machine may not reach it).
    per_exit_us = (storm["daemon_ns"] - exits["idle_cpu_percent"] / 100 * storm["elapsed"] * 1e9) / storm["processes"] / 1000
    at_goal_rate = per_exit_us * EXEC_STORM_RATE / 1e6 * 100 + exits["idle_cpu_percent"]
    floor = programs["floor"].get("sched_process_exit", {}).get("ns_per_event")
    process_cost_ns = storm["cpu_ns"] / storm["processes"]
    lines = ["## Exited processes", "",
             f"bench/spawner.c `execs {EXEC_STORM_RATE} {EXEC_STORM_SECONDS}`: fork+exec of /bin/true paced at "
             f"{EXEC_STORM_RATE:,} a second (this machine reached {rate:,.0f}), bpf_stats on. The exit path is "
             "process_lifecycle's record_exit (every per-process map read, one ring buffer record, the entries "
             "deleted); its baselines in the same run are the floor counter on sched_process_exit and the CPU "
             f"one fork+exec+exit of /bin/true costs its process. Goals: at most {GOALS['exit_ns']} ns per exit, the "
             f"daemon at most {GOALS['storm_cpu_percent']}% of one CPU at {EXEC_STORM_RATE:,} exits a second.", "",
             "| program | events | ns/event | floor ns/event | vs floor | share of the process's own cost | |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name, program in sorted(exits["programs"].items()):
        value = program["ns_per_event"]
        goal = verdict(value, GOALS["exit_ns"]) if name == "record_exit" else ""
        share = ratio(value, process_cost_ns)
        lines.append(f"| {name} | {program['runs']:,} | {fmt(value)} | {fmt(floor)} | {fmt(ratio(value, floor), '.2f')}x "
                     f"| {fmt(share and share * 100, '.3f')}% | {goal} |")
    lines += ["", "| daemon under the storm | figure | |", "|---|---:|---|",
              f"| idle, % of one CPU | {exits['idle_cpu_percent']:.3f} | |",
              f"| during {rate:,.0f} exits/s, % of one CPU | {storm_percent:.3f} | |",
              f"| daemon CPU per exit, µs | {per_exit_us:.2f} | |",
              f"| projected at {EXEC_STORM_RATE:,} exits/s, % of one CPU | {at_goal_rate:.3f} "
              f"| {verdict(at_goal_rate, GOALS['storm_cpu_percent'])} |",
              "", f"Memory while exits pile up (`churn`, fork+exit), the recently exited list capped at "
              f"{memory['list'].get('capacity', 'n/a')}:", "",
              "| exits seen | daemon RSS MiB | |", "|---|---:|---|",
              f"| 0 (after the storm) | {memory['rss_start']:.1f} | |",
              f"| {EXITS_SEEN // 5:,} more | {memory['rss_fifth']:.1f} | |",
              f"| {EXITS_SEEN:,} more | {memory['rss_all']:.1f} | list holds {memory['list'].get('held', 'n/a')}, "
              f"{memory['list'].get('memory_bytes', 0) / 1048576:.1f} MiB, {memory['list'].get('dropped', 'n/a')} dropped |", ""]
    return lines


# ---------------------------------------------------------------------------------------------
# Report


def ratio(ours, baseline):
    return ours / baseline if ours is not None and baseline else None


def fmt(value, spec=".1f", missing="n/a"):
    return missing if value is None else format(value, spec)


def verdict(value, goal):
    if value is None:
        return "not measured"
    return "meets goal" if value <= goal else "MISSES goal"


def events_section(programs):
    """The per-event section's lines (ours against the floor and against bpftrace), ending with a blank line."""
    lines = [EVENTS_HEADING, "",
              f"kernel.bpf_stats_enabled=1 run_time_ns / run_cnt during {EVENT_LOAD_SECONDS} s of mixed load "
              "(getppid loop + stress-ng switch, sock, hdd). Kernel figures are upper bounds: they include the "
              "kernel's timing bookkeeping, which the floor pays too. Floor: bench/floor.bpf.c, a raw_tp "
              "program that only increments a per-CPU counter, loaded by bench/floor_loader.c on the same "
              f"tracepoint. Goal: at most {GOALS['vs_floor']}x the floor.", "",
              "| program | hook | events | ns/event | floor ns/event | vs floor | |",
              "|---|---|---:|---:|---:|---:|---|"]
    for program in programs["ours"]:
        floor = programs["floor"].get(program["hook"], {}).get("ns_per_event")
        value = ratio(program["ns_per_event"], floor)
        lines.append(f"| {program['name']} | {program['hook']} | {program['runs']:,} | {fmt(program['ns_per_event'])} "
                     f"| {fmt(floor)} | {fmt(value, '.2f')}x | {verdict(value, GOALS['vs_floor'])} |")

    lines += ["", "### Next to bpftrace doing the same job", "",
              "Each script in bench/bpftrace/ against our programs on the same hooks (ns of all our programs "
              "on those hooks per event of the hooks: programs sharing a hook add up). Our one sched_switch "
              "program (bpf/scheduler.bpf.c) does CPU, cgroup and run-queue accounting together, so the "
              "runqlat and sched_switch rows weigh those three jobs against the script's one. Goal: at most "
              f"{GOALS['vs_bpftrace']}x bpftrace.", "",
              "| bpftrace script | hooks | bpftrace ns/event | ours on those hooks | ours ns/event | vs bpftrace | |",
              "|---|---|---:|---|---:|---:|---|"]
    for name, script in programs["bpftrace"].items():
        mine = [p for p in programs["ours"] if p["hook"] in script["hooks"]]
        # Each hook's events once, however many of our programs run on it.
        events = sum(max(p["runs"] for p in mine if p["hook"] == hook) for hook in {p["hook"] for p in mine})
        ours = per_event(sum(p["ns"] for p in mine), events)
        covered = ", ".join(sorted({p["hook"] for p in mine})) or "none"
        if "missing" in script:
            lines.append(f"| {name} | {' '.join(script['hooks'])} | MISSING: {script['missing']} | {covered} | {fmt(ours)} | n/a | not measured |")
            continue
        value = ratio(ours, script["ns_per_event"]) if mine else None
        note = verdict(value, GOALS["vs_bpftrace"]) if mine else "no program of ours on these hooks"
        if mine and set(p["hook"] for p in mine) != set(script["hooks"]):
            note += " (ours covers only part of its hooks: not the same job)"
        lines.append(f"| {name} | {' '.join(script['hooks'])} | {fmt(script['ns_per_event'])} | {covered} "
                     f"| {fmt(ours)} | {fmt(value, '.2f')}x | {note} |")
    return lines + [""]


def rpc_section(rpc):
    goals = {"sequential": GOALS["rpc_p50_vs_floor"], "concurrent": GOALS["rpc_concurrent_p50_vs_floor"]}
    lines = [RPC_HEADING, "",
             f"bench/rpc_bench.c against the daemon and against bench/pingpong_server.c, which answers "
             f"every frame with the daemon's own {rpc['reply_bytes']}-byte metrics.get reply and does nothing "
             f"else (the floor). Goals: p50 at most {goals['sequential']}x the floor sequentially, "
             f"{goals['concurrent']}x with {CONCURRENT_CLIENTS} clients.", "",
             "| load | ours p50 µs | ours p99 µs | floor p50 µs | floor p99 µs | p50 vs floor | p99 vs floor | ours req/s | |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for label, title in [("sequential", f"{SEQUENTIAL_REQUESTS:,} sequential"),
                         ("concurrent", f"{CONCURRENT_CLIENTS} concurrent clients x {REQUESTS_PER_CLIENT}")]:
        ours, floor = rpc[label]["ours"], rpc[label]["floor"]
        p50 = ratio(ours["p50_us"], floor["p50_us"])
        lines.append(f"| {title} | {ours['p50_us']:.1f} | {ours['p99_us']:.1f} | {floor['p50_us']:.1f} | {floor['p99_us']:.1f} "
                     f"| {p50:.2f}x | {ratio(ours['p99_us'], floor['p99_us']):.2f}x | {ours['per_second']:,.0f} "
                     f"| {verdict(p50, goals[label])} |")
    status = rpc["status_process"]
    if "missing" in status:
        lines += ["", f"`smoothtaskctl status` as a process: MISSING: {status['missing']}"]
    else:
        lines += ["", f"`smoothtaskctl status` as a process (hyperfine median of 40): {status['ours_ms']:.1f} ms, "
                  f"vs {status['floor_ms']:.1f} ms for the C client making the same call as a process: "
                  f"{ratio(status['ours_ms'], status['floor_ms']):.1f}x."]
    return lines + [""]


def client_section(client):
    """The client start-up section's lines, ending with a blank line."""
    lines = [CLIENT_HEADING, "",
             f"`smoothtaskctl` (release build) as a process, hyperfine -N median of {CLIENT_RUNS} runs each, against a "
             "Swift hello world (`print(\"hello\")`, swiftc -O) built and measured in the same run; `status` asks the "
             "release daemon (default configuration, two collections after start) on a socket of its own. "
             f"{CLIENT_ROUNDS} rounds of the three back to back; the table is the round with the median `status` ratio. "
             "Goals: `--version` at most "
             f"{GOALS['version_vs_hello']}x the hello world, `status` at most {GOALS['status_vs_hello']}x. "
             f"Load average when this section started: {client['load_average']}.", ""]
    if "missing" in client:
        return lines + [f"MISSING: {client['missing']}", ""]
    hello = client["hello"]
    lines += ["| command | median ms | vs hello world | CPU ms (user+sys) | CPU vs hello world | |",
              "|---|---:|---:|---:|---:|---|",
              f"| Swift hello world (baseline) | {hello['ms']:.2f} | - | {hello['cpu_ms']:.2f} | - | - |"]
    for key, label, goal in [("version", "smoothtaskctl --version", "version_vs_hello"),
                             ("status", "smoothtaskctl status", "status_vs_hello")]:
        row = client[key]
        value = ratio(row["ms"], hello["ms"])
        lines.append(f"| {label} | {row['ms']:.2f} | {fmt(value, '.2f')}x | {row['cpu_ms']:.2f} "
                     f"| {fmt(ratio(row['cpu_ms'], hello['cpu_ms']), '.2f')}x | {verdict(value, GOALS[goal])} |")
    if "status_ratios" in client:
        lines += ["", "Every round, vs the hello world, lowest first: `status` "
                  + ", ".join(f"{value:.2f}x" for value in client["status_ratios"])
                  + "; `--version` " + ", ".join(f"{value:.2f}x" for value in client["version_ratios"]) + "."]
    return lines + [""]


def replace_section(text, heading, section):
    """`text` with the section under `heading` replaced by `section` (inserted before the next section
    it would follow in a full report, or appended, when absent)."""
    lines = text.splitlines()
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    else:
        start = end = next((i for i, line in enumerate(lines) if line.startswith("## Daemon cost per collection tick")),
                           len(lines))
    return "\n".join(lines[:start] + section + lines[end:]) + "\n"


def ticks_section(ticks):
    lines = [TICKS_HEADING, "",
             "On-CPU time of every daemon thread (/proc/<pid>/task/*/schedstat) over the window, divided by the "
             "ticks in it; threads and processes from bench/spawner.c, each waking once a second. The baseline is "
             f"the idle row of the same interval; the exits row comes right after it, before any live row. "
             f"Goals (issue 17), at 1 s: an idle tick at most {GOALS['idle_tick_us']} µs, at most "
             f"{GOALS['cpu_percent_at_1s']}% of one CPU with 10,000 active processes, within "
             f"{GOALS['after_exits_vs_idle']}x idle after {CHURN_PROCESSES:,} exited processes; RSS under "
             f"{GOALS['rss_mib']} MiB.", ""]

    def verdict_at_1s(label, row, idle):
        if label == "idle":
            return verdict(row["tick_us"], GOALS["idle_tick_us"])
        if label.startswith("after"):
            return verdict(ratio(row["tick_us"], idle), GOALS["after_exits_vs_idle"])
        if label == f"{THREAD_COUNTS[-1]} processes":
            return verdict(row["cpu_percent"], GOALS["cpu_percent_at_1s"])
        return ""

    for interval_ms, rows in ticks.items():
        idle = rows["idle"]["tick_us"]
        lines += [f"### Interval {interval_ms} ms", "",
                  "| alive | µs per tick | vs idle | CPU % of one CPU | RSS MiB | |", "|---|---:|---:|---:|---:|---|"]
        for label, row in rows.items():
            lines.append(f"| {label} | {row['tick_us']:.0f} | {ratio(row['tick_us'], idle):.2f}x "
                         f"| {row['cpu_percent']:.3f} | {row['rss_mib']:.1f} "
                         f"| {verdict_at_1s(label, row, idle) if interval_ms == 1000 else ''} |")
        lines.append("")
    return lines


def syscalls_section(syscalls):
    keys = ("ours", "floor", "floor_exit", "bpftrace")
    added = {key: syscalls[key] - syscalls["nothing"] for key in keys if key in syscalls}
    lines = [SYSCALLS_HEADING, "",
             f"bench/getppid_loop.c: {GETPPID_CALLS:,} `syscall(SYS_getppid)` calls, fastest of "
             f"{GETPPID_ROUNDS} rounds, bpf_stats off. \"ours\" is the whole daemon with every program attached. "
             "Goal (issue 17): ours at most 1.5x the bare counter on sys_enter.", "",
             "| attached | ns per getppid | added ns | ours vs this |", "|---|---:|---:|---:|",
             f"| nothing (baseline) | {syscalls['nothing']:.1f} | - | - |"]
    for key, label in [("ours", "smoothtaskd"), ("floor", "floor (counter on raw_tp/sys_enter)"),
                       ("floor_exit", "floor (counter on raw_tp/sys_exit)"), ("bpftrace", "bpftrace sys_exit.bt")]:
        if key not in syscalls:
            lines.append(f"| {label} | MISSING | | |")
            continue
        versus = "-" if key == "ours" else f"{fmt(ratio(added['ours'], added[key]), '.2f')}x"
        lines.append(f"| {label} | {syscalls[key]:.1f} | {added[key]:.1f} | {versus} |")
    return lines + [""]


def report(machine, programs, syscalls, rpc, client, ticks, exits, seconds):
    lines = ["# SmoothTask benchmarks", "",
             "Written by `make bench` (bench/bench.py) from one run on the machine below. Every figure is "
             "a ratio against a baseline measured in the same run on the same machine; absolute numbers "
             "move with the machine and its load, the ratios less so.", "", "## Machine", "",
             "| | |", "|---|---|"]
    lines += [f"| {key.replace('_', ' ')} | {value} |" for key, value in machine.items()]
    lines += [f"| bench wall time | {seconds:.0f} s |", ""]

    lines += events_section(programs)
    lines += syscalls_section(syscalls)
    lines += rpc_section(rpc)
    lines += client_section(client)
    lines += exits_section(exits, programs)

    lines += ticks_section(ticks)
    return "\n".join(lines) + "\n"


class Section:
    """One section `--only` can measure on its own: what it needs and how it is measured and written."""

    def __init__(self, heading, binaries, peers, measure, write, helpers=False, tracefs=False):
        self.heading, self.binaries, self.peers = heading, binaries, peers
        self.measure, self.write, self.helpers, self.tracefs = measure, write, helpers, tracefs


SECTIONS = {
    "client": Section(CLIENT_HEADING, ("smoothtaskd", "smoothtaskctl"), ("hyperfine",), phase_client, client_section),
    "history": Section(HISTORY_HEADING, ("smoothtaskd", "history-bench"), (), lambda workdir, _: phase_history(workdir),
                       history_section, helpers=True),
    "scrape": Section(SCRAPE_HEADING, ("smoothtaskd",), (), lambda workdir, _: phase_scrape(workdir), scrape_section,
                      helpers=True),
    "events": Section(EVENTS_HEADING, ("smoothtaskd",), ("bpftrace",), phase_programs, events_section, helpers=True,
                      tracefs=True),
    "rpc": Section(RPC_HEADING, ("smoothtaskd", "smoothtaskctl"), ("hyperfine",), phase_rpc, rpc_section, helpers=True),
    "memory": Section(MEMORY_HEADING, ("smoothtaskd",), (), lambda workdir, _: phase_memory(workdir), memory_section),
    "syscalls": Section(SYSCALLS_HEADING, ("smoothtaskd",), ("bpftrace",), phase_syscalls, syscalls_section, helpers=True,
                        tracefs=True),
    "ticks": Section(TICKS_HEADING, ("smoothtaskd",), (), lambda workdir, _: phase_ticks(workdir), ticks_section,
                     helpers=True),
}


def main():
    parser = argparse.ArgumentParser(description="Measures what SmoothTask costs and writes BENCHMARKS.md.")
    parser.add_argument("--only", choices=list(SECTIONS),
                        help="measure one section and rewrite only that section of BENCHMARKS.md")
    arguments = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: run as root (it loads eBPF programs and switches kernel.bpf_stats_enabled)")
    only = SECTIONS.get(arguments.only)
    for binary in only.binaries if only else ("smoothtaskd", "smoothtaskctl", "history-bench"):
        if not os.access(os.path.join(RELEASE, binary), os.X_OK):
            sys.exit(f"bench: {RELEASE}/{binary} is missing: run `swift build -c release` (make bench does)")
    started = time.time()
    peers = ensure_peers(only.peers if only else ("bpftrace", "hyperfine"))
    if only:
        if only.helpers:
            build_helpers()
        with contextlib.ExitStack() as stack:
            if only.tracefs:
                stack.enter_context(tracefs_mounted())
            workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="smoothtask-bench-"))
            os.chmod(workdir, 0o755)
            section = only.write(only.measure(workdir, peers))
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path) as file:
            text = file.read()
        with open(path, "w") as file:
            file.write(replace_section(text, only.heading, section))
        print("\n".join(section))
        log(f"rewrote the {only.heading[3:]} section of BENCHMARKS.md in {time.time() - started:.0f} s")
        return
    machine = machine_details(peers)
    log("building the floors and helpers in bench/ into .build/bench")
    build_helpers()
    with tracefs_mounted(), tempfile.TemporaryDirectory(prefix="smoothtask-bench-") as workdir:
        programs = phase_programs(workdir, peers)
        syscalls = phase_syscalls(workdir, peers)
        rpc = phase_rpc(workdir, peers)
        client = phase_client(workdir, peers)
        ticks = phase_ticks(workdir)
        exits = phase_exits(workdir)
        history = phase_history(workdir)
        scrape = phase_scrape(workdir)
        memory = phase_memory(workdir)
    text = report(machine, programs, syscalls, rpc, client, ticks, exits, time.time() - started)
    text = replace_section(text, HISTORY_HEADING, history_section(history))
    text = replace_section(text, SCRAPE_HEADING, scrape_section(scrape))
    text = replace_section(text, MEMORY_HEADING, memory_section(memory))
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as file:
        file.write(text)
    print(text)
    log(f"wrote BENCHMARKS.md in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes link-order/smoothtaskd.order and link-order/smoothtaskctl.order: the functions each release
binary runs, in the order the linker is to place them (Package.swift's linkOrder says why).

Runs the release binaries (`make release` first) under valgrind's callgrind, which names every
function executed, however briefly (sampling would miss the ones a tick runs once):
- smoothtaskd on a socket of its own: what it runs once started (collections, requests from bursts of
  clients as `make bench` makes them, the methods below) comes first, then what only start-up ran;
- smoothtaskctl: the commands below, against a release daemon of its own, in that order.
Only names the binary defines are kept. Run as root (the daemon loads its BPF programs); it takes a
few minutes. Rerun when the code has changed much: unnamed functions are placed after the list.
SwiftPM does not relink when a list changes: delete .build/release/smoothtaskd and smoothtaskctl, then
`make release`.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the release paths, Daemon and the connection burst)

ORDER_DIR = os.path.join(bench.ROOT, "link-order")
# A daemon under callgrind runs ~50x slower: start-up takes tens of seconds.
VALGRIND_START_SECONDS = 240
DAEMON_METHODS = ["status", "metrics.get", "config.get", "overhead", "history.info", "processes.top", "cgroups.top",
                  "processes.exited", "rpc.discover"]
CLIENT_COMMANDS = [["--version"], ["status"], ["--help"], ["status", "--help"], ["config", "get"], ["metrics"], ["top"],
                   ["overhead"], ["cgroups"]]


def defined_functions(binary):
    """Names of the functions `binary` defines (its symbol table)."""
    output = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {parts[2] for parts in (line.split() for line in output.splitlines()) if len(parts) == 3 and parts[1] in "tTwW"}


def executed(callgrind_file, defined):
    """Functions named in a callgrind profile that `defined` holds, in the order first named."""
    names, seen = [], set()
    with open(callgrind_file) as file:
        for line in file:
            match = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
            if match and match.group(1) in defined and match.group(1) not in seen:
                seen.add(match.group(1))
                names.append(match.group(1))
    return names


def stripped(binary, directory):
    """A copy of `binary` without debug sections: valgrind 3.19 gives up on the Swift compiler's DWARF."""
    copy = os.path.join(directory, os.path.basename(binary))
    subprocess.run(["strip", "--strip-debug", "-o", copy, binary], check=True)
    return copy


def call(socket_path, method):
    """One request, its reply unread beyond the frame; a refusal is still a run of the daemon's code."""
    # A Daemon handle on a socket this script started (call_raw needs only the socket path).
    handle = object.__new__(bench.Daemon)
    handle.socket = socket_path
    with contextlib.suppress(OSError):
        handle.call_raw(method)


def daemon_order(workdir):
    binary = stripped(os.path.join(bench.RELEASE, "smoothtaskd"), workdir)
    defined = defined_functions(binary)
    profile = os.path.join(workdir, "daemon.callgrind")
    socket_path = os.path.join(workdir, "smoothtask.sock")
    daemon = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={profile}", binary,
         "--socket", socket_path, "--log-level", "error", "--config", os.path.join(workdir, "config.json"),
         "--state-dir", os.path.join(workdir, "state"), "--metrics-socket-directory", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + VALGRIND_START_SECONDS
        while not os.path.exists(socket_path):
            if time.time() > deadline or daemon.poll() is not None:
                raise RuntimeError("smoothtaskd under valgrind did not start")
            time.sleep(0.5)
        time.sleep(5)  # the first collections
        # Everything up to here is start-up: callgrind writes it to profile.1 and starts counting afresh.
        subprocess.run(["callgrind_control", "--dump=startup", str(daemon.pid)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(3):
            bench.connection_burst(socket_path, 100)
            time.sleep(2)
        for method in DAEMON_METHODS:
            call(socket_path, method)
        time.sleep(10)  # collections after the bursts, with the heap trimmed
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=120)
    running = executed(profile, defined)
    start_only = [name for name in executed(profile + ".1", defined) if name not in set(running)]
    return running + start_only


def client_order(workdir):
    binary = stripped(os.path.join(bench.RELEASE, "smoothtaskctl"), workdir)
    defined = defined_functions(binary)
    daemon = bench.Daemon(workdir)
    names, seen = [], set()
    try:
        time.sleep(2)  # a collection or two, so every command has something to show
        for index, command in enumerate(CLIENT_COMMANDS):
            profile = os.path.join(workdir, f"client{index}.callgrind")
            arguments = command + ([] if "--help" in command or "--version" in command else ["--socket", daemon.socket])
            subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={profile}", binary]
                           + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            for name in executed(profile, defined):
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    finally:
        daemon.stop()
    return names


def main():
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("link_order: valgrind is not installed (apt-get install valgrind)")
    os.makedirs(ORDER_DIR, exist_ok=True)
    for name, make in (("smoothtaskd", daemon_order), ("smoothtaskctl", client_order)):
        with tempfile.TemporaryDirectory(prefix=f"link-order-{name}-") as workdir:
            names = make(workdir)
        with open(os.path.join(ORDER_DIR, f"{name}.order"), "w") as file:
            file.write("\n".join(names) + "\n")
        print(f"link-order/{name}.order: {len(names):,} functions")


if __name__ == "__main__":
    main()

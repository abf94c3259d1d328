#!/usr/bin/env python3
"""End-to-end test of smoothtask-otlp: a real smoothtaskd, the bridge, and a minimal OTLP/HTTP
receiver on loopback that decodes each push with opentelemetry-proto (the collector's own schema).

Checks the pushed figures against independent ground truth: /proc/meminfo for memory, the
daemon's own metrics.get before and after for the syscall counter, the daemon's Prometheus
endpoint for the set of metric names. Prints its figures; exits 1 on any mismatch.

Usage: otlp_receiver_test.py SMOOTHTASKD SMOOTHTASK_OTLP   (as root: the daemon loads eBPF programs)
"""
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest, ExportMetricsServiceResponse)
from opentelemetry.proto.metrics.v1.metrics_pb2 import AGGREGATION_TEMPORALITY_CUMULATIVE

PUSH_INTERVAL_S = 1.0
# Long enough for several pushes at PUSH_INTERVAL_S, short enough to keep the test quick.
RUN_SECONDS = 6
# Memory in use moves while the test runs: allow 2% of MemTotal between the push and /proc.
MEMORY_TOLERANCE = 0.02
# Families the bridge cannot carry: histograms (swift-metrics records observations, not buckets)
# and figures only the daemon process has (its start time, map-full drops).
NOT_PUSHED = {"smoothtask_collection_duration_seconds", "smoothtask_scrape_duration_seconds",
              "smoothtask_daemon_start_time_seconds", "smoothtask_bpf_map_full_drops"}

failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


class Receiver(BaseHTTPRequestHandler):
    """OTLP/HTTP: POST /v1/metrics with an ExportMetricsServiceRequest in binary protobuf."""
    received = []  # (arrival time, content type, request)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/metrics":
            self.send_error(404)
            return
        request = ExportMetricsServiceRequest()
        request.ParseFromString(body)
        Receiver.received.append((time.time(), self.headers.get("Content-Type"), request))
        reply = ExportMetricsServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def rpc(socket_path, method):
    """One JSON-RPC call over the daemon's length-prefixed framing (protocol/PROTOCOL.md)."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(socket_path)
        payload = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method}).encode()
        connection.sendall(struct.pack(">I", len(payload)) + payload)
        header = connection.recv(4, socket.MSG_WAITALL)
        reply = json.loads(connection.recv(struct.unpack(">I", header)[0], socket.MSG_WAITALL))
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def meminfo():
    fields = {}
    with open("/proc/meminfo") as file:
        for line in file:
            name, value = line.split(":")
            fields[name] = int(value.split()[0]) * 1024
    return fields


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except (ConnectionRefusedError, FileNotFoundError):
            pass  # the socket file appears just before the daemon listens on it
        time.sleep(0.1)
    sys.exit(f"timed out waiting for {what}")


def points(requests, name):
    """Every data point of metric `name` across `requests`, in arrival order, with its metric."""
    found = []
    for _, _, request in requests:
        for resource_metrics in request.resource_metrics:
            for scope_metrics in resource_metrics.scope_metrics:
                for metric in scope_metrics.metrics:
                    if metric.name == name:
                        data = metric.gauge if metric.HasField("gauge") else metric.sum
                        found.extend((metric, point) for point in data.data_points)
    return found


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    daemon_binary, bridge_binary = sys.argv[1:]
    if os.geteuid() != 0:
        sys.exit("run as root: smoothtaskd loads eBPF programs")
    directory = tempfile.mkdtemp(prefix="smoothtask-otlp-")
    socket_path = os.path.join(directory, "smoothtask.sock")
    prometheus_address = f"127.0.0.1:{free_port()}"
    with open(os.path.join(directory, "config.json"), "w") as file:
        json.dump({"collection_interval_ms": 500}, file)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"

    daemon = subprocess.Popen(
        [daemon_binary, "--socket", socket_path, "--config", os.path.join(directory, "config.json"),
         "--prometheus-listen", prometheus_address],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "smoothtaskd.log"), "w"))
    bridge = None
    try:
        wait_for(lambda: rpc(socket_path, "metrics.get").get("syscall_count") is not None, "a first collection")
        before = rpc(socket_path, "metrics.get")
        status = rpc(socket_path, "status")
        bridge = subprocess.Popen(
            [bridge_binary, "--socket", socket_path, "--endpoint", endpoint, "--interval", str(PUSH_INTERVAL_S)],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "smoothtask-otlp.log"), "w"))
        memory_checks = []
        started = time.time()
        while time.time() - started < RUN_SECONDS:
            time.sleep(0.25)
            latest = points(Receiver.received[-1:], "smoothtask_memory_used_bytes")
            if latest:
                info = meminfo()
                memory_checks.append((latest[-1][1].as_double, info["MemTotal"] - info["MemAvailable"], info["MemTotal"]))
        bridge.send_signal(signal.SIGTERM)
        bridge_exit = bridge.wait(timeout=15)
        after = rpc(socket_path, "metrics.get")
        # OpenMetrics names counter families without `_total`, as OTLP sums are named.
        scrape = urllib.request.Request(f"http://{prometheus_address}/metrics",
                                        headers={"Accept": "application/openmetrics-text"})
        with urllib.request.urlopen(scrape) as response:
            exposition = response.read().decode()
    finally:
        if bridge and bridge.poll() is None:
            bridge.kill()
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=15)
        server.shutdown()

    requests = Receiver.received
    print(f"bridge exit status {bridge_exit}; {len(requests)} OTLP requests in {RUN_SECONDS} s at a {PUSH_INTERVAL_S} s interval")
    check(bridge_exit == 0, "the bridge stops cleanly on SIGTERM")
    check(len(requests) >= RUN_SECONDS / PUSH_INTERVAL_S / 2, f"pushes arrive periodically ({len(requests)})")
    if not requests:
        print(open(os.path.join(directory, "smoothtask-otlp.log")).read())
        sys.exit(1)
    check(all(kind == "application/x-protobuf" for _, kind, _ in requests), "every push is binary protobuf")

    resource = {a.key: a.value.string_value for a in requests[-1][2].resource_metrics[0].resource.attributes}
    print(f"resource attributes: {resource}")
    check(resource.get("service.name") == "smoothtask", "service.name is smoothtask")
    check(resource.get("host.name") == socket.gethostname(), f"host.name is {socket.gethostname()}")

    # Same families as the daemon's own Prometheus endpoint, by name.
    prometheus_families = {line.split()[2] for line in exposition.splitlines() if line.startswith("# TYPE ")}
    pushed = {metric.name for _, _, request in requests for rm in request.resource_metrics
              for sm in rm.scope_metrics for metric in sm.metrics}
    print(f"pushed families ({len(pushed)}): {', '.join(sorted(pushed))}")
    check(pushed == prometheus_families - NOT_PUSHED,
          f"pushed families are the Prometheus ones less histograms and daemon-internal figures "
          f"(missing {sorted(prometheus_families - NOT_PUSHED - pushed)}, extra {sorted(pushed - prometheus_families)})")

    for pushed_value, proc_value, total in memory_checks:
        if abs(pushed_value - proc_value) > MEMORY_TOLERANCE * total:
            check(False, f"memory used {pushed_value:.0f} B pushed vs {proc_value} B in /proc/meminfo")
            break
    else:
        worst = max(abs(p - q) for p, q, _ in memory_checks) if memory_checks else None
        check(bool(memory_checks), f"memory used matches /proc/meminfo within {MEMORY_TOLERANCE:.0%} of MemTotal "
              f"({len(memory_checks)} samples, worst gap {worst} B)")
    memory_metric, memory_total = points(requests, "smoothtask_memory_total_bytes")[-1]
    check(memory_total.as_double == meminfo()["MemTotal"], f"memory total {memory_total.as_double:.0f} B is MemTotal")
    check(memory_metric.unit == "By", f"memory unit is By (got {memory_metric.unit!r})")

    syscalls = points(requests, "smoothtask_syscalls")
    values = [point.as_double for _, point in syscalls]
    metric = syscalls[-1][0] if syscalls else None
    print(f"syscalls: daemon {before['syscall_count']} before, pushed {values[0] if values else None} first, "
          f"{values[-1] if values else None} last, daemon {after['syscall_count']} after")
    check(metric is not None and metric.sum.is_monotonic
          and metric.sum.aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE,
          "syscalls is a monotonic cumulative sum")
    check(values == sorted(values), "syscall count never goes down")
    check(bool(values) and before["syscall_count"] <= values[0] and values[-1] <= after["syscall_count"],
          "pushed syscall counts lie between the daemon's counts before and after")
    check(len(set(values)) > 1, "syscall count grows between pushes")

    cpu = [point.as_double for _, point in points(requests, "smoothtask_cpu_usage_ratio")]
    cores = points(requests, "smoothtask_cpu_core_usage_ratio")
    core_labels = {point.attributes[0].value.string_value for _, point in cores}
    print(f"cpu usage ratio: {min(cpu, default=None)}...{max(cpu, default=None)}; cores {sorted(core_labels, key=int)}")
    check(bool(cpu) and all(0 <= value <= 1 for value in cpu), "cpu usage ratio lies in 0...1")
    check(all(0 <= point.as_double <= 1 for _, point in cores), "per-core ratios lie in 0...1")
    check(len(core_labels) == os.cpu_count(), f"one per-core series per CPU ({os.cpu_count()})")
    check(points(requests, "smoothtask_cpu_usage_ratio")[-1][0].unit == "1", "ratio unit is 1")

    build = points(requests, "smoothtask_build_info")
    version = {a.key: a.value.string_value for a in build[-1][1].attributes}.get("version") if build else None
    check(version == status["version"], f"build_info carries the daemon's version {status['version']}")

    if failures:
        print(f"{len(failures)} check(s) failed; logs in {directory}")
        sys.exit(1)
    print("all OTLP checks passed")


if __name__ == "__main__":
    main()

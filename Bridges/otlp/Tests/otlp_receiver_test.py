#!/usr/bin/env python3
"""End-to-end test of smoothtask-otlp: a real smoothtaskd, the bridge, and a minimal OTLP/HTTP
receiver on loopback that decodes each push with opentelemetry-proto (the collector's own schema).

Checks the pushed figures against independent ground truth: /proc/meminfo for memory, a known load
for the getppid syscall counter (GETPPID_CALLS calls raise the pushed cumulative sum by at least that
and at most 1% more), the daemon's Prometheus endpoint for the set of families and, scraped right
after a push of the same collection, for every histogram's `le` buckets, `_count` and `_sum`.
Prints its figures; exits 1 on any mismatch.

Usage: otlp_receiver_test.py SMOOTHTASKD SMOOTHTASK_OTLP   (as root: the daemon loads eBPF programs)
"""
import json
import math
import os
import re
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
COLLECTION_INTERVAL_S = 0.5
# Long enough for several pushes at PUSH_INTERVAL_S, short enough to keep the test quick.
RUN_SECONDS = 6
# A push comes one interval after the previous one, at the next collection: at most a collection
# interval late, plus the time to ask for the families and send them (PUSH_SLACK_S).
PUSH_SLACK_S = 0.5
# getppid calls made between two pushes, as issue 15 asks of the Prometheus counters.
GETPPID_CALLS = 300_000
# How much more than the calls made the counter may grow: other processes run meanwhile.
COUNTER_TOLERANCE = 0.01
# Pushes compared with a scrape of the same collection.
HISTOGRAM_MATCHES = 3
# Memory in use moves while the test runs: allow 2% of MemTotal between the push and /proc.
MEMORY_TOLERANCE = 0.02
# Families /metrics serves that no push carries, with the reason: none, since the bridge pushes what
# metrics.families returns, which is built from the same input as /metrics.
NOT_PUSHED = {}

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
    """Every data point of metric `name` across `requests` (received tuples or bare requests), in
    arrival order, with its metric."""
    found = []
    for item in requests:
        request = item[2] if isinstance(item, tuple) else item
        for resource_metrics in request.resource_metrics:
            for scope_metrics in resource_metrics.scope_metrics:
                for metric in scope_metrics.metrics:
                    if metric.name == name:
                        data = getattr(metric, metric.WhichOneof("data"))
                        found.extend((metric, point) for point in data.data_points)
    return found


def attributes(point):
    return tuple(sorted((a.key, a.value.string_value) for a in point.attributes))


def collection_time(request):
    """The time_unix_nano of a push's points: the collection they come from."""
    return points([request], "smoothtask_collection_timestamp_seconds")[0][1].time_unix_nano


def wait_for_push(after_count, seconds=15):
    deadline = time.time() + seconds
    while len(Receiver.received) <= after_count and time.time() < deadline:
        time.sleep(0.02)
    if len(Receiver.received) <= after_count:
        sys.exit(f"no push within {seconds} s")
    return Receiver.received[after_count]


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """OpenMetrics text: {family: type} and {sample name: {labels tuple: value}} (labels without le
    for buckets, which map to {le: value})."""
    types, samples = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            types[name] = kind
            continue
        match = SAMPLE.match(line)
        if not match:
            continue
        name, _, labels, value = match.groups()
        pairs = dict(LABEL.findall(labels or ""))
        le = pairs.pop("le", None)
        key = tuple(sorted(pairs.items()))
        if le is None:
            samples.setdefault(name, {})[key] = float(value)
        else:
            samples.setdefault(name, {}).setdefault(key, {})[float(le)] = float(value)
    return types, samples


def scrape(address):
    request = urllib.request.Request(f"http://{address}/metrics", headers={"Accept": "application/openmetrics-text"})
    with urllib.request.urlopen(request) as response:
        return response.read().decode()


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
        # The run-queue histogram is off by default: on, so every histogram kind is pushed.
        json.dump({"collection_interval_ms": 500, "enable_sched_latency": True}, file)

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
        status = rpc(socket_path, "status")
        daemon_start = time.time() - status["uptime_s"]
        bridge = subprocess.Popen(
            [bridge_binary, "--socket", socket_path, "--endpoint", endpoint, "--interval", str(PUSH_INTERVAL_S)],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "smoothtask-otlp.log"), "w"))
        started = time.time()
        wait_for_push(0, seconds=30)

        # A known load between two pushes: the push before it and the first of a collection after it.
        before_load = Receiver.received[-1][2]
        load_start = time.time()
        for _ in range(GETPPID_CALLS):
            os.getppid()
        load_end = time.time()
        seen = len(Receiver.received)
        while True:
            after_load = wait_for_push(seen)[2]
            seen += 1
            if collection_time(after_load) > (load_end + COLLECTION_INTERVAL_S) * 1e9:
                break
        print(f"getppid load: {GETPPID_CALLS} calls in {load_end - load_start:.3f} s")

        # Pushes against a scrape of the same collection, taken right after each push.
        matches, memory_checks, scrapes_made = [], [], 0
        while time.time() - started < RUN_SECONDS or len(matches) < HISTOGRAM_MATCHES:
            if time.time() - started > 4 * RUN_SECONDS:
                break
            pushed = wait_for_push(seen)[2]
            seen += 1
            exposition = scrape(prometheus_address)
            scrapes_made += 1
            info = meminfo()
            latest = points([pushed], "smoothtask_memory_used_bytes")
            if latest:
                memory_checks.append((latest[-1][1].as_double, info["MemTotal"] - info["MemAvailable"], info["MemTotal"]))
            types, samples = parse_exposition(exposition)
            stamp = samples.get("smoothtask_collection_timestamp_seconds", {}).get(())
            if stamp is not None and round(stamp * 1e9) == collection_time(pushed):
                matches.append((pushed, types, samples))
        bridge.send_signal(signal.SIGTERM)
        bridge_exit = bridge.wait(timeout=15)
        final_types, _ = parse_exposition(scrape(prometheus_address))
    finally:
        if bridge and bridge.poll() is None:
            bridge.kill()
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=15)
        server.shutdown()

    requests = Receiver.received
    elapsed = requests[-1][0] - requests[0][0] if requests else 0
    print(f"bridge exit status {bridge_exit}; {len(requests)} OTLP requests over {elapsed:.1f} s at a {PUSH_INTERVAL_S} s interval")
    check(bridge_exit == 0, "the bridge stops cleanly on SIGTERM")
    check(all(kind == "application/x-protobuf" for _, kind, _ in requests), "every push is binary protobuf")
    gaps = [later[0] - earlier[0] for earlier, later in zip(requests, requests[1:])]
    bound = PUSH_INTERVAL_S + COLLECTION_INTERVAL_S + PUSH_SLACK_S
    print(f"gaps between pushes: {min(gaps):.3f}...{max(gaps):.3f} s (bound {bound} s)")
    check(max(gaps) <= bound, f"each push comes within the interval plus a collection ({bound} s) of the one before")
    ages = [arrival - collection_time(request) / 1e9 for arrival, _, request in requests]
    print(f"push age (arrival - collection time): {min(ages):.3f}...{max(ages):.3f} s")
    check(0 <= min(ages) and max(ages) <= PUSH_INTERVAL_S, "each push carries a collection less than one interval old")

    resource = {a.key: a.value.string_value for a in requests[-1][2].resource_metrics[0].resource.attributes}
    print(f"resource attributes: {resource}")
    check(resource.get("service.name") == "smoothtask", "service.name is smoothtask")
    check(resource.get("host.name") == socket.gethostname(), f"host.name is {socket.gethostname()}")

    # Every family the daemon's endpoint serves, of the OTLP kind its type maps to.
    kinds = {"gauge": "gauge", "counter": "sum", "histogram": "histogram"}
    pushed_kinds = {metric.name: metric.WhichOneof("data") for _, _, request in requests
                    for rm in request.resource_metrics for sm in rm.scope_metrics for metric in sm.metrics}
    last_push = {metric.name for rm in requests[-1][2].resource_metrics for sm in rm.scope_metrics for metric in sm.metrics}
    served = set(final_types) - set(NOT_PUSHED)
    print(f"pushed families ({len(pushed_kinds)}): {', '.join(sorted(pushed_kinds))}")
    check(served <= set(pushed_kinds) and last_push <= set(final_types),
          f"every family /metrics serves is pushed, and no other (missing {sorted(served - set(pushed_kinds))}, "
          f"extra {sorted(last_push - set(final_types))})")
    wrong = {name: (kind, pushed_kinds.get(name)) for name, kind in final_types.items()
             if name in pushed_kinds and pushed_kinds[name] != kinds[kind]}
    check(not wrong, f"gauges push as gauges, counters as sums, histograms as histograms (wrong: {wrong})")
    counts = {kind: sum(1 for name in final_types if final_types[name] == kind) for kind in kinds}
    print(f"families by type: {counts}")

    # Counters: monotonic cumulative sums, each series never going down while its start stays.
    sums = [metric for metric in (m for _, _, r in requests for rm in r.resource_metrics for sm in rm.scope_metrics
                                  for m in sm.metrics) if metric.WhichOneof("data") == "sum"]
    check(all(m.sum.is_monotonic and m.sum.aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE for m in sums),
          f"every counter is a monotonic cumulative sum ({len(sums)} pushed)")
    series, backwards = {}, []
    for metric in sums:
        for point in metric.sum.data_points:
            key = (metric.name, attributes(point))
            previous = series.get(key)
            if previous and previous[0] == point.start_time_unix_nano and point.as_double < previous[1]:
                backwards.append((key, previous[1], point.as_double))
            if not 0 < point.start_time_unix_nano <= point.time_unix_nano:
                backwards.append((key, "start", point.start_time_unix_nano, point.time_unix_nano))
            series[key] = (point.start_time_unix_nano, point.as_double)
    check(not backwards, f"no counter series goes down or starts after its point ({len(series)} series; {backwards[:3]})")

    def getppid_count(request):
        found = [p for _, p in points([request], "smoothtask_syscalls") if ("syscall", "getppid") in attributes(p)]
        return found[0].as_double if found else 0.0
    grown = getppid_count(after_load) - getppid_count(before_load)
    print(f"getppid: {GETPPID_CALLS} calls made, pushed smoothtask_syscalls{{syscall=\"getppid\"}} grew by {grown:.0f}")
    check(GETPPID_CALLS <= grown <= GETPPID_CALLS * (1 + COUNTER_TOLERANCE),
          f"the getppid counter grows by the calls made, within {COUNTER_TOLERANCE:.0%}")
    created = [p.start_time_unix_nano for _, p in points([after_load], "smoothtask_syscalls")]
    check(len(set(created)) == 1 and abs(created[0] / 1e9 - daemon_start) < 2,
          "syscall series start at the daemon's start (their _created)")

    # Histograms: the pushed buckets are the endpoint's `le` buckets of the same collection.
    print(f"pushes matched with a scrape of the same collection: {len(matches)} of {scrapes_made}")
    check(len(matches) >= 1, "some push can be compared with a scrape of the same collection")
    compared, mismatches = 0, []
    for pushed, types, samples in matches:
        for name, kind in types.items():
            if kind != "histogram":
                continue
            by_series = {attributes(point): point for _, point in points([pushed], name)}
            for labels, buckets in samples.get(f"{name}_bucket", {}).items():
                point = by_series.get(labels)
                if point is None:
                    mismatches.append((name, labels, "not pushed"))
                    continue
                bounds = sorted(b for b in buckets if not math.isinf(b))
                scraped = [buckets[b] for b in bounds] + [buckets[math.inf]]
                cumulative = [sum(point.bucket_counts[:i + 1]) for i in range(len(point.bucket_counts))]
                count, total = samples[f"{name}_count"][labels], samples[f"{name}_sum"][labels]
                compared += 1
                if name == "smoothtask_scrape_duration_seconds":
                    # This scrape came after the push: it counts the test's earlier scrapes the push
                    # had not seen, at most every scrape the test made.
                    extra = [s - p for s, p in zip(scraped, cumulative)]
                    if list(point.explicit_bounds) != bounds or min(extra) < 0 or count - point.count > scrapes_made:
                        mismatches.append((name, labels, bounds, scraped, list(point.explicit_bounds), cumulative))
                elif (list(point.explicit_bounds) != bounds or cumulative != scraped or point.count != count
                      or not math.isclose(point.sum, total, rel_tol=1e-9, abs_tol=1e-9)):
                    mismatches.append((name, labels, bounds, scraped, count, total,
                                       list(point.explicit_bounds), cumulative, point.count, point.sum))
    example = next(((name, len(point.explicit_bounds), point.count) for name in final_types if final_types[name] == "histogram"
                    for _, point in points([matches[-1][0]] if matches else [], name)), None)
    print(f"histogram series compared bucket by bucket: {compared}; e.g. (family, bounds, count) {example}")
    check(compared > 0 and not mismatches,
          f"pushed explicit bounds and de-cumulated counts equal the scraped le buckets, _count and _sum {mismatches[:2]}")

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

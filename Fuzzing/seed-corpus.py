#!/usr/bin/env python3
"""Writes the fuzzer's seed inputs: each file is one connection's bytes, exactly as a client writes
them to the socket (4-byte big-endian length, then the JSON payload; several frames pipelined).

    seed-corpus.py corpus/              the hand-made seeds (committed in Fuzzing/corpus)
    seed-corpus.py --golden DIR OUT/    every DIR/*.request.json framed (make fuzz adds protocol/frames)
"""
import json
import pathlib
import struct
import sys


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return struct.pack(">I", len(payload)) + payload


def request(method, params=None, id=1):
    body = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        body["params"] = params
    return json.dumps(body, separators=(",", ":"))


SEEDS = {
    # A valid request for every method, with the params each one reads.
    "status": frame(request("status")),
    "metrics-get": frame(request("metrics.get", {})),
    "config-get": frame(request("config.get")),
    "config-set-interval": frame(request("config.set", {"collection_interval_ms": 1000})),
    "config-set-every-key": frame(request("config.set", {
        "enable_cpu_metrics": True, "enable_memory_metrics": False, "enable_syscall_monitoring": True,
        "collection_interval_ms": 500, "enable_sched_latency": True, "enable_disk_metrics": False,
        "enable_network_metrics": True, "enable_cgroup_metrics": True, "prometheus_listen": "127.0.0.1:9100",
        "prometheus_cgroup_limit": 50})),
    "config-set-listen-off": frame(request("config.set", {"prometheus_listen": None})),
    "config-set-listen-empty": frame(request("config.set", {"prometheus_listen": ""})),
    "config-set-listen-ipv6": frame(request("config.set", {"prometheus_listen": "[::1]:9100"})),
    "config-set-listen-unix": frame(request("config.set", {"prometheus_listen": "unix:/run/smoothtask/metrics.sock"})),
    "processes-top": frame(request("processes.top", {"sort": "rss", "limit": 5, "pid": 1, "user": "root", "comm": "sh"})),
    "processes-top-limit-0": frame(request("processes.top", {"limit": 0})),
    "overhead": frame(request("overhead")),
    "rpc-discover": frame(request("rpc.discover")),
    "metrics-subscribe": frame(request("metrics.subscribe", {"interval_ms": 1000, "groups": ["cpu", "sched_latency"]})),
    "metrics-subscribe-bad-group": frame(request("metrics.subscribe", {"groups": ["cpu", "gpu"]})),
    "metrics-unsubscribe": frame(request("metrics.unsubscribe")),
    "cgroups-top": frame(request("cgroups.top", {"limit": 2, "by": "unit"})),
    "cgroups-top-limit-negative": frame(request("cgroups.top", {"limit": -1})),
    "diagnostics": frame(request("diagnostics")),
    # Several frames on one connection (ids of every kind), and notifications (no id: never answered).
    "pipelined": frame(request("status", id=1)) + frame(request("config.get", id="two"))
        + frame(request("metrics.subscribe", {}, id=3)) + frame(request("metrics.unsubscribe", id=None))
        + frame('{"jsonrpc":"2.0","method":"metrics.unsubscribe"}'),
    "notification": frame('{"jsonrpc":"2.0","method":"config.set","params":{"collection_interval_ms":20}}'),
    # Headers that lie: too large, large enough to be charged to the input budget, cut short.
    "oversized-header": struct.pack(">I", 0xFFFFFFFF) + b'{"jsonrpc":"2.0"}',
    "header-one-past-limit": struct.pack(">I", (1 << 20) + 1) + b"{",
    "large-frame-cut-short": struct.pack(">I", 20000) + request("status").encode(),
    "zero-length": frame(b"") + frame(request("status")),
    "half-header": b"\x00\x00",
    # Structure: deep nesting, wide arrays, a batch, the wrong types.
    "deep-arrays": frame("[" * 600 + "1" + "]" * 600),
    "deep-params": frame('{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"a":' + "[" * 300 + "]" * 300 + "}}"),
    "wide-array": frame("[" + ",".join(["{}"] * 400) + "]"),
    "batch": frame("[" + request("status") + "," + request("config.get", id=2) + "]"),
    "params-array": frame('{"jsonrpc":"2.0","id":1,"method":"status","params":[1,2]}'),
    "method-number": frame('{"jsonrpc":"2.0","id":1,"method":7}'),
    # Ids at and past the edges of 64-bit integers and doubles.
    "id-huge": frame('{"jsonrpc":"2.0","id":18446744073709551616,"method":"status"}'),
    "id-past-int64": frame('{"jsonrpc":"2.0","id":9223372036854775808,"method":"config.get"}'),
    "id-exponent": frame('{"jsonrpc":"2.0","id":1e400,"method":"status"}'),
    "id-negative-zero": frame('{"jsonrpc":"2.0","id":-0.0,"method":"status"}'),
    "id-long-string": frame(request("status", id="x" * 300)),
    "interval-huge": frame('{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"collection_interval_ms":1e30}}'),
    # Bytes that are not JSON text.
    "invalid-utf8": frame(b'{"jsonrpc":"2.0","id":"\xff\xfe","method":"status"}'),
    "escaped-nul": frame('{"jsonrpc":"2.0","id":1,"method":"metrics.get\\u0000"}'),
    "lone-surrogate": frame('{"jsonrpc":"2.0","id":"\\ud800","method":"status"}'),
}


def main(argv):
    if len(argv) == 4 and argv[1] == "--golden":
        out = pathlib.Path(argv[3])
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted(pathlib.Path(argv[2]).glob("*.request.json")):
            (out / ("golden-" + path.name.removesuffix(".request.json"))).write_bytes(frame(path.read_bytes().strip()))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (out / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

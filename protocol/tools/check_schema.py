#!/usr/bin/env python3
"""Checks a live smoothtaskd against protocol/openrpc.json: every method's result, a metrics.update
notification, every error reply and every golden reply in protocol/frames. Exit 0 when all conform.
Read-only: it changes nothing in the daemon (config.set sets the interval already in force).

    python3 protocol/tools/check_schema.py SOCKET
"""
import json
import os
import subprocess
import sys
import time

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOL = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(PROTOCOL, "examples"))
from smoothtask_client import Connection  # noqa: E402  (the documented example client, exercised here too)

DOCUMENT = json.load(open(os.path.join(PROTOCOL, "openrpc.json")))
METHODS = {method["name"]: method for method in DOCUMENT["methods"]}
checked = 0
# Long enough for three collections at the longest interval a test daemon uses (1 s), with slack.
COLLECTION_WAIT_S = 10


def validate(instance, schema, what):
    """Validates with the document's components in scope, so its $refs resolve."""
    global checked
    rooted = dict(schema, components=DOCUMENT["components"])
    cls = jsonschema.validators.validator_for({"$schema": "https://json-schema.org/draft/2020-12/schema"})
    errors = sorted(cls(rooted).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        detail = "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5])
        sys.exit(f"{what} does not match protocol/openrpc.json: {detail}\n{json.dumps(instance)[:2000]}")
    checked += 1


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def params_schema(method):
    spec = METHODS[method]
    return {"type": "object", "additionalProperties": False,
            "properties": {p["name"]: p["schema"] for p in spec["params"]}}


def wait_for_two_collections(connection):
    """Waits for two collections after the one in force now, so results carry rates rather than the
    first collection's nulls (which the schema allows too, but which check less), also for a switch
    turned on just before."""
    seen = set()
    deadline = time.monotonic() + COLLECTION_WAIT_S
    while len(seen) < 3:
        if time.monotonic() > deadline:
            sys.exit(f"fewer than two new collections within {COLLECTION_WAIT_S} s")
        connection.send({"jsonrpc": "2.0", "id": "wait", "method": "metrics.get"})
        timestamp = connection.receive().get("result", {}).get("timestamp")
        seen.update([timestamp] if timestamp is not None else [])
        time.sleep(0.05)


def main(socket_path):
    connection = Connection(socket_path)
    # A child that exits during the wait, so processes.top and processes.exited have an exited row.
    subprocess.run(["/bin/sh", "-c", "exit 3"], check=False)
    wait_for_two_collections(connection)
    calls = {
        "status": {}, "metrics.get": {}, "config.get": {}, "rpc.discover": {},
        "processes.top": {"sort": "cpu", "limit": 5}, "overhead": {},
        "processes.exited": {"sort": "exit_time", "limit": 5},
        "cgroups.top": {"limit": 5, "by": "unit"}, "diagnostics": {}, "history.info": {}, "metrics.families": {},
        "metrics.subscribe": {"interval_ms": 0, "groups": ["cpu", "processes"]}, "metrics.unsubscribe": {},
        "config.set": {"collection_interval_ms": None},  # filled with the interval in force: changes nothing
    }
    calls["config.set"]["collection_interval_ms"] = connection.call("config.get")["collection_interval_ms"]
    assert set(calls) == set(METHODS), f"methods in openrpc.json: {sorted(METHODS)}; checked: {sorted(calls)}"
    results = {}
    for method, params in calls.items():
        validate(params, params_schema(method), f"params of {method}")
        connection.send({"jsonrpc": "2.0", "id": method, "method": method, "params": params})
        reply = connection.receive()
        while "id" not in reply:
            reply = connection.receive()
        validate(reply, ref("Response"), f"reply to {method}")
        if "error" in reply:
            sys.exit(f"{method} failed: {reply['error']}")
        validate(reply["result"], METHODS[method]["result"]["schema"], f"result of {method}")
        results[method] = reply["result"]
    # The other shapes of processes.top: by lifetime totals, live rows only.
    for params in ({"sort": "syscalls", "limit": 5, "total": True}, {"limit": 5, "include_exited": False}):
        validate(params, params_schema("processes.top"), "params of processes.top")
        validate(connection.call("processes.top", params), METHODS["processes.top"]["result"]["schema"], f"processes.top {params}")
    discovered = {m["name"] for m in connection.call("rpc.discover")["methods"]}
    assert discovered == set(METHODS), f"rpc.discover lists {sorted(discovered)}, openrpc.json {sorted(METHODS)}"

    # A notification, through a fresh subscription with two groups.
    updates = Connection(socket_path).updates(groups=["memory", "syscalls"])
    update = next(updates)
    validate({"jsonrpc": "2.0", "method": "metrics.update", "params": update}, ref("Notification"), "metrics.update")
    assert "cpu_usage" not in update and "memory_usage" in update, f"groups not honoured: {sorted(update)}"

    # Every golden reply is a well-formed Response.
    frames = os.path.join(PROTOCOL, "frames")
    for name in sorted(os.listdir(frames)):
        if name.endswith(".reply.json"):
            validate(json.load(open(os.path.join(frames, name))), ref("Response"), name)
    # A null area conforms without checking its object schema: say which ones this run did not reach.
    metrics = results["metrics.get"]
    unreached = sorted(key for key, value in metrics.items() if value is None)
    if results["cgroups.top"]["cgroups"] is None:
        unreached.append("cgroups.top cgroups")
    if not results["processes.exited"]["processes"]:
        unreached.append("processes.exited rows")
    print(f"check_schema: {checked} documents conform to protocol/openrpc.json"
          + (f"; null here, so not checked in depth: {', '.join(unreached)}" if unreached else "; every area checked in depth"))


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Checks a live smoothtaskd against protocol/openrpc.json: every method's result, a metrics.update
notification, every error reply and every golden reply in protocol/frames. Exit 0 when all conform.

    python3 protocol/tools/check_schema.py SOCKET
"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOL = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(PROTOCOL, "examples"))
from smoothtask_client import Connection  # noqa: E402  (the documented example client, exercised here too)

DOCUMENT = json.load(open(os.path.join(PROTOCOL, "openrpc.json")))
METHODS = {method["name"]: method for method in DOCUMENT["methods"]}
checked = 0


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


def main(socket_path):
    connection = Connection(socket_path)
    calls = {
        "status": {}, "metrics.get": {}, "config.get": {}, "rpc.discover": {},
        "metrics.subscribe": {"interval_ms": 0, "groups": ["cpu", "processes"]}, "metrics.unsubscribe": {},
        "config.set": {"collection_interval_ms": None},  # filled with the interval in force: changes nothing
    }
    calls["config.set"]["collection_interval_ms"] = connection.call("config.get")["collection_interval_ms"]
    assert set(calls) == set(METHODS), f"methods in openrpc.json: {sorted(METHODS)}; checked: {sorted(calls)}"
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
    print(f"check_schema: {checked} documents conform to protocol/openrpc.json")


if __name__ == "__main__":
    main(sys.argv[1])

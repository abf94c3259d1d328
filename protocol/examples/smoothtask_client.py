#!/usr/bin/env python3
"""A SmoothTask protocol v1 client in standard-library Python: calls and subscriptions.

    python3 smoothtask_client.py [--socket PATH] METHOD ['{"json": "params"}']
    python3 smoothtask_client.py [--socket PATH] --watch N      # N metrics.update notifications
"""
import itertools
import json
import os
import socket
import struct
import sys

DEFAULT_SOCKET = os.environ.get("SMOOTHTASK_SOCKET", "/run/smoothtask.sock")


class Connection:
    """One Unix-socket connection; frames are a 4-byte big-endian length, then that many bytes of JSON."""

    def __init__(self, path=DEFAULT_SOCKET):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.ids = itertools.count(1)

    def send(self, message):
        body = json.dumps(message).encode()
        self.sock.sendall(struct.pack(">I", len(body)) + body)  # header and payload in one write

    def receive(self):
        header = self.sock.recv(4, socket.MSG_WAITALL)
        if len(header) < 4:
            raise ConnectionError("smoothtaskd closed the connection")
        (length,) = struct.unpack(">I", header)
        return json.loads(self.sock.recv(length, socket.MSG_WAITALL))

    def call(self, method, params=None):
        """The method's result; raises RuntimeError with the daemon's error. Skips notifications."""
        request_id = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}})
        while True:
            reply = self.receive()
            if "id" not in reply:
                continue  # a notification of an earlier subscription
            if "error" in reply:
                error = reply["error"]
                raise RuntimeError(f"{method}: {error['message']} ({error['code']})")
            return reply["result"]

    def updates(self, interval_ms=0, groups=None):
        """Subscribes, then yields each metrics.update's params; read steadily or the daemon drops you."""
        params = {"interval_ms": interval_ms}
        if groups:
            params["groups"] = groups
        self.call("metrics.subscribe", params)
        while True:
            message = self.receive()
            if message.get("method") == "metrics.update":
                yield message["params"]

    def close(self):
        self.sock.close()


def main(argv):
    path = DEFAULT_SOCKET
    if argv[:1] == ["--socket"]:
        path, argv = argv[1], argv[2:]
    connection = Connection(path)
    try:
        if argv[:1] == ["--watch"]:
            for update in itertools.islice(connection.updates(), int(argv[1])):
                print(json.dumps(update, sort_keys=True), flush=True)
        else:
            params = json.loads(argv[1]) if len(argv) > 1 else {}
            print(json.dumps(connection.call(argv[0] if argv else "status", params), sort_keys=True))
    except RuntimeError as error:
        print(f"smoothtask_client: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

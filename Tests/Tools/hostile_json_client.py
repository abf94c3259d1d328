#!/usr/bin/env python3
"""A hostile SmoothTask client: sends 1 MiB worst-case JSON frames in a loop, reading each reply.

Usage: hostile_json_client.py SOCKET SECONDS
Rotates through the shapes that cost JSONDecoder the most: [{},{},...], arrays nested 512 Ki deep
(1 MiB of brackets), and a valid-looking request whose params object has ~80,000 keys.
Prints JSON: {"sent": n, "rejected": n, "codes": {"-32600": n, ...}, "reconnects": n, "bytes": n}.
"""
import json
import socket
import struct
import sys
import time

MAX_PAYLOAD = 1 << 20


def empty_objects():
    count = (MAX_PAYLOAD - 2) // 3
    return b"[" + b",".join([b"{}"] * count) + b"]"


def nested_arrays():
    half = MAX_PAYLOAD // 2
    return b"[" * half + b"]" * half


def many_keys():
    head = b'{"jsonrpc":"2.0","id":1,"method":"status","params":{'
    members = []
    size = len(head) + 2
    index = 0
    while True:
        member = b'"key%d":%d' % (index, index)
        if size + len(member) + 1 > MAX_PAYLOAD:
            break
        members.append(member)
        size += len(member) + 1
        index += 1
    return head + b",".join(members) + b"}}"


def connect(path):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(30)
    connection.connect(path)
    return connection


def receive_exactly(connection, count):
    data = bytearray()
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def main():
    path, seconds = sys.argv[1], float(sys.argv[2])
    frames = [struct.pack(">I", len(p)) + p for p in (empty_objects(), nested_arrays(), many_keys())]
    assert all(len(f) - 4 <= MAX_PAYLOAD for f in frames)
    stats = {"sent": 0, "rejected": 0, "codes": {}, "reconnects": 0, "bytes": 0}
    connection = connect(path)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = frames[stats["sent"] % len(frames)]
        try:
            connection.sendall(frame)
            stats["sent"] += 1
            stats["bytes"] += len(frame)
            header = receive_exactly(connection, 4)
            reply = header and receive_exactly(connection, struct.unpack(">I", header)[0])
        except OSError:
            reply = None
        if reply is None:
            stats["reconnects"] += 1
            connection.close()
            connection = connect(path)
            continue
        code = json.loads(reply).get("error", {}).get("code")
        stats["codes"][str(code)] = stats["codes"].get(str(code), 0) + 1
        if code == -32600:
            stats["rejected"] += 1
    print(json.dumps(stats))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A hostile SmoothTask client: sends worst-case JSON frames in a loop, reading each reply.

Usage: hostile_json_client.py SOCKET SECONDS
Rotates through the shapes that cost JSONDecoder the most, each as a 1 MiB frame (the frame limit)
and as a 64 KiB one (the request size limit): [{},{},...], nested arrays, and a valid-looking
request whose params object has as many keys as fit; then the costliest requests still decoded,
for a method that does not exist: 64 KiB of escaped quotes in one string, and 1,023 elements
nested 16 deep.
Prints JSON: {"sent": n, "rejected": n (-32600), "codes": {"-32600": n, ...}, "reconnects": n, "bytes": n}.
"""
import json
import socket
import struct
import sys
import time

FRAME_LIMIT = 1 << 20
REQUEST_LIMIT = 64 << 10
MAX_DEPTH = 16
MAX_ELEMENTS = 1024


def empty_objects(size):
    count = (size - 2) // 3
    return b"[" + b",".join([b"{}"] * count) + b"]"


def nested_arrays(size):
    half = size // 2
    return b"[" * half + b"]" * half


def many_keys(size):
    head = b'{"jsonrpc":"2.0","id":1,"method":"status","params":{'
    members = []
    used = len(head) + 2
    index = 0
    while True:
        member = b'"key%d":%d' % (index, index)
        if used + len(member) + 1 > size:
            break
        members.append(member)
        used += len(member) + 1
        index += 1
    return head + b",".join(members) + b"}}"


def escaped_quotes():
    head = b'{"jsonrpc":"2.0","id":1,"method":"hostile","params":{"s":"'
    tail = b'"}}'
    return head + b'\\"' * ((REQUEST_LIMIT - len(head) - len(tail)) // 2) + tail


def deep_elements():
    # The items sit in params.v (depth 3), so 13 levels each reach depth 16; each level holds 2
    # elements, and as many items as keep the whole request under 1,024 elements.
    levels = MAX_DEPTH - 3
    item = b"[0," * levels + b"0" + b"]" * levels
    count = (MAX_ELEMENTS - 5) // (2 * levels + 1)
    return b'{"jsonrpc":"2.0","id":1,"method":"hostile","params":{"v":[' + b",".join([item] * count) + b"]}}"


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
    shapes = [shape(size) for size in (FRAME_LIMIT, REQUEST_LIMIT) for shape in (empty_objects, nested_arrays, many_keys)]
    shapes += [escaped_quotes(), deep_elements()]
    frames = [struct.pack(">I", len(p)) + p for p in shapes]
    assert all(len(f) - 4 <= FRAME_LIMIT for f in frames)
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

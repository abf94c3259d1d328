#!/usr/bin/env python3
"""Calls smoothtaskd over its socket and prints every frame it answers with, verbatim, one per line.

Usage: rpc_calls.py SOCKET REQUEST_JSON...
Each request is sent in its own frame and its reply read; after a metrics.subscribe reply the next
frame (the first metrics.update notification) is printed too. Used by the end-to-end tests that must
see the daemon's own bytes, not what a client decoded from them.
"""
import socket
import struct
import sys


def read_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            raise SystemExit("daemon closed the connection")
        data += chunk
    return data


def read_frame(connection):
    (length,) = struct.unpack(">I", read_exactly(connection, 4))
    return read_exactly(connection, length).decode("utf-8")


def main():
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(30)
    connection.connect(sys.argv[1])
    for request in sys.argv[2:]:
        payload = request.encode("utf-8")
        connection.sendall(struct.pack(">I", len(payload)) + payload)
        print(read_frame(connection), flush=True)
        if '"metrics.subscribe"' in request:
            print(read_frame(connection), flush=True)


main()

#!/usr/bin/env python3
"""Keeps one process busy in every way smoothtaskd counts per process, until killed.

Usage: busy_process.py DIRECTORY
CPU (a spin), syscalls, user page faults (fresh memory touched), block writes (a file in DIRECTORY,
fsynced) and IPv4 traffic (UDP to itself on 127.0.0.1), so the process shows in every per-process list.
Run it through a symlink to give it a recognisable command name (comm comes from the file name).
"""
import os
import socket
import sys
import time

path = os.path.join(sys.argv[1], "busy-%d.data" % os.getpid())
receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
receiver.bind(("127.0.0.1", 0))
receiver.setblocking(False)
sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
block = b"x" * (1 << 20)
while True:
    deadline = time.monotonic() + 0.05
    while time.monotonic() < deadline:
        pass
    memory = bytearray(8 << 20)
    for offset in range(0, len(memory), 4096):
        memory[offset] = 1
    del memory
    with open(path, "wb") as file:
        file.write(block)
        file.flush()
        os.fsync(file.fileno())
    for _ in range(20):
        sender.sendto(block[:8192], receiver.getsockname())
        try:
            receiver.recv(65536)
        except BlockingIOError:
            pass
    os.getppid()

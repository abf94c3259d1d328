#!/usr/bin/env python3
"""Hostile local clients for smoothtaskd's limit tests; run it as the attacking user (setpriv).

hold:     open many connections to the control socket (each sends one config.get and reads the
          first reply: admitted or refused) and to the metrics endpoint, print a JSON summary line,
          then hold every connection open until stdin closes.
pipeline: open connections that each send 1 MiB frames back to back and never read, for a while;
          print a JSON summary line, then hold until stdin closes.
"""
import argparse, json, select, socket, struct, sys, time

CONFIG_GET = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "config.get"}).encode()


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


def read_reply(sock, timeout):
    sock.settimeout(timeout)
    data = b""
    try:
        while len(data) < 4:
            chunk = sock.recv(4 - len(data))
            if not chunk:
                return None
            data += chunk
        (length,) = struct.unpack(">I", data)
        body = b""
        while len(body) < length:
            chunk = sock.recv(length - len(body))
            if not chunk:
                return None
            body += chunk
        return json.loads(body)
    except (socket.timeout, OSError):
        return None


def hold(args):
    held, summary = [], {"admitted": 0, "refused": {}, "failed": 0, "tcp_open": 0, "tcp_failed": 0}
    for _ in range(args.count):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(args.unix)
        except OSError:
            summary["failed"] += 1
            continue
        try:
            s.sendall(frame(CONFIG_GET))
        except OSError:
            pass  # a refused connection may be closed before the request is sent: its refusal is read below
        reply = read_reply(s, 10)
        if reply is not None and "result" in reply:
            summary["admitted"] += 1
            held.append(s)
        else:
            message = (reply or {}).get("error", {}).get("message", "closed without reply")
            summary["refused"][message] = summary["refused"].get(message, 0) + 1
            s.close()
    if args.tcp:
        host, port = args.tcp.rsplit(":", 1)
        for _ in range(args.tcp_count):
            try:
                held.append(socket.create_connection((host, int(port)), timeout=5))
                summary["tcp_open"] += 1
            except OSError:
                summary["tcp_failed"] += 1
    print(json.dumps(summary), flush=True)
    sys.stdin.read()


def pipeline(args):
    payload = b"[" + b",".join([b"{}"] * ((args.frame_bytes - 2) // 3)) + b"]"
    payload = payload[: args.frame_bytes]
    conns = []
    for _ in range(args.count):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(args.unix)
        s.setblocking(False)
        conns.append([s, memoryview(frame(payload)), 0])
    sent_frames, sent_bytes, closed = 0, 0, 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline and conns:
        _, writable, _ = select.select([], [c[0] for c in conns], [], 0.2)
        for c in conns[:]:
            if c[0] not in writable:
                continue
            try:
                n = c[0].send(c[1][c[2]:])
            except BlockingIOError:
                continue
            except OSError:
                conns.remove(c)
                closed += 1
                continue
            sent_bytes += n
            c[2] += n
            if c[2] == len(c[1]):
                c[2] = 0
                sent_frames += 1
    print(json.dumps({"frames": sent_frames, "bytes": sent_bytes, "closed_by_daemon": closed, "open": len(conns)}), flush=True)
    sys.stdin.read()


parser = argparse.ArgumentParser(description=__doc__)
sub = parser.add_subparsers(dest="mode", required=True)
h = sub.add_parser("hold")
h.add_argument("--unix", required=True)
h.add_argument("--count", type=int, default=0)
h.add_argument("--tcp")
h.add_argument("--tcp-count", type=int, default=0)
p = sub.add_parser("pipeline")
p.add_argument("--unix", required=True)
p.add_argument("--count", type=int, default=50)
p.add_argument("--frame-bytes", type=int, default=1 << 20)
p.add_argument("--seconds", type=float, default=5)
args = parser.parse_args()
{"hold": hold, "pipeline": pipeline}[args.mode](args)

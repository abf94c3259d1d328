#!/usr/bin/env python3
"""Scrapes a SmoothTask /metrics endpoint and parses it with prometheus_client's real parsers.

Usage: scrape_exposition.py ADDRESS FORMAT [RAW_OUTPUT]
  ADDRESS  host:port, or an absolute Unix socket path
  FORMAT   prometheus (Accept: text/plain) or openmetrics (Accept: application/openmetrics-text)
  RAW_OUTPUT  optional file to write the raw body to (for promtool)
Prints JSON: {"content_type": str, "families": {name: {"type", "unit", "samples": [{"name", "labels", "value"}]}}}.
Exits 2 if prometheus_client is missing, 1 if the body does not parse.
"""
import http.client
import json
import socket
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
    from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
except ImportError:
    print("prometheus_client is not installed: pip install prometheus-client", file=sys.stderr)
    sys.exit(2)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self.unix_path)


def main():
    address, fmt = sys.argv[1], sys.argv[2]
    if address.startswith("/"):
        connection = UnixHTTPConnection(address)
    else:
        host, port = address.rsplit(":", 1)
        connection = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=10)
    accept = "application/openmetrics-text; version=1.0.0" if fmt == "openmetrics" else "text/plain"
    connection.request("GET", "/metrics", headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    if response.status != 200:
        print(f"HTTP {response.status}: {body}", file=sys.stderr)
        sys.exit(1)
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as raw:
            raw.write(body)
    parse = openmetrics_families if fmt == "openmetrics" else text_string_to_metric_families
    families = {}
    for family in parse(body):
        families[family.name] = {
            "type": family.type,
            "unit": family.unit,
            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
        }
    print(json.dumps({"content_type": response.getheader("Content-Type"), "families": families}))


if __name__ == "__main__":
    main()

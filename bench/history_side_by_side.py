#!/usr/bin/env python3
"""Bytes per collection of a real recording, two daemon builds side by side (e.g. before and after a
history schema change): each daemon records at 1 s into a state directory of its own, beside 300
bench/spawner.c processes and whatever else the machine runs, so both see the same processes and
the same churn. Reports the pages in use (and per table, from SQLite's dbstat) between the end of the
first minute and the end, divided by the collections written in between: the first minute, which
names every process already running, is left out. The recording and its figures are bench.py's
(record_beside_spawner), the same as the real row of `bench.py --only history`.

usage: history_side_by_side.py SECONDS WORKDIR NAME=BINARY_DIR [NAME=BINARY_DIR ...]   (as root)
       SECONDS counts the first minute.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def main():
    seconds, workdir, builds = int(sys.argv[1]), sys.argv[2], dict(spec.split("=", 1) for spec in sys.argv[3:])
    os.makedirs(workdir, exist_ok=True)
    bench.build_helpers()
    recording = bench.record_beside_spawner(workdir, builds, seconds - bench.HISTORY_WARM_UP_SECONDS)
    print(json.dumps({"host": recording["host"]}))
    for name, figures in recording["builds"].items():
        print(name, json.dumps({
            "collections": figures["collections"], "bytes_per_collection": round(figures["bytes_per_collection"]),
            "mib_per_day": round(figures["mib_per_day"], 1),
            "table_bytes_per_collection": {table: {key: round(value) for key, value in sizes.items()}
                                           for table, sizes in figures["tables"].items()},
            "blob_bytes_per_collection": {blob: round(size) for blob, size in figures["blobs"].items()}}))


if __name__ == "__main__":
    main()

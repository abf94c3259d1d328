#!/usr/bin/env python3
"""Bytes per collection of a real recording, two daemon builds side by side (e.g. before and after a
history schema change): each daemon records at 1 s into a state directory of its own, beside 300
bench/spawner.c processes and whatever else the machine runs, so both see the same processes and
the same churn. Reports the pages in use (and per table, from SQLite's dbstat) between the end of the
first minute and the end, divided by the collections written in between: the first minute, which
names every process already running, is left out.

usage: history_side_by_side.py SECONDS WORKDIR NAME=BINARY_DIR [NAME=BINARY_DIR ...]   (as root)
"""
import json
import os
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

WARM_UP_SECONDS = 60


def pages(path):
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
        used = (db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]) * page
        return {"used": used, "collections": db.execute("SELECT count(*) FROM collection").fetchone()[0],
                "tables": dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())}


def main():
    seconds, workdir, builds = int(sys.argv[1]), sys.argv[2], dict(spec.split("=", 1) for spec in sys.argv[3:])
    os.makedirs(workdir, exist_ok=True)
    spawner = os.path.join(workdir, "spawner")
    subprocess.run(["cc", "-O2", "-o", spawner, os.path.join(bench.BENCH, "spawner.c"), "-lpthread"], check=True)
    daemons = {}
    processes = bench.Background([spawner, "processes", "300"], ready="ready")
    try:
        for name, binaries in builds.items():
            os.makedirs(os.path.join(workdir, name), exist_ok=True)
            bench.RELEASE = binaries
            daemons[name] = bench.Daemon(os.path.join(workdir, name))
            daemons[name].set_interval(1000)
        store = {name: os.path.join(workdir, name, "state", "history.sqlite") for name in daemons}
        time.sleep(WARM_UP_SECONDS)
        start = {name: pages(path) for name, path in store.items()}
        time.sleep(seconds - WARM_UP_SECONDS)
        end = {name: pages(path) for name, path in store.items()}
    finally:
        for daemon in daemons.values():
            daemon.stop()
        processes.stop()
    for name in daemons:
        count = end[name]["collections"] - start[name]["collections"]
        per_collection = (end[name]["used"] - start[name]["used"]) / count
        print(name, json.dumps({
            "collections": count, "bytes_per_collection": round(per_collection),
            "mib_per_day": round(per_collection * 86_400 / 1_048_576, 1),
            "table_bytes_per_collection": {table: round((size - start[name]["tables"].get(table, 0)) / count)
                                           for table, size in end[name]["tables"].items()}}))


if __name__ == "__main__":
    main()

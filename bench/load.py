"""Load test: the site under gunicorn on 127.0.0.1, 64 connections for 60 seconds over the
home page, the seed article, both lists and a search; prints requests/s, p50/p99 latency
and the error count, and exits 1 if any request failed.

    python bench/load.py                     # SQLite copy of the seed, local-memory cache
    REDIS_URL=redis://127.0.0.1:6379/9 python bench/load.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lechan_load REDIS_URL=… python bench/load.py

Production settings (debug off, page cache on, gunicorn.conf.py), plain HTTP. Load comes
from wrk (`apt-get install wrk`), or from bench/loadgen.py without it. Options by
environment: LOAD_CONNECTIONS (64), LOAD_SECONDS (60).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import PAGES, Server, free_port, prepare, run_load, tool  # noqa: E402

CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", 64))
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))


def main():
    prepare()
    server = Server(free_port())
    try:
        paths = list(PAGES.values())
        server.warm(paths, times=1)
        print(f"load: {CONNECTIONS} connections, {SECONDS} s, {tool()}, {server.url}")
        print("pages: " + ", ".join(paths))
        result = run_load(server.url, paths, CONNECTIONS, SECONDS)
        memory = server.worker_memory_mb()
    finally:
        server.stop()
    print(
        f"requests: {result['requests']}  requests/s: {result['rps']:.1f}  "
        f"p50: {result['p50']:.1f} ms  p99: {result['p99']:.1f} ms  errors: {result['errors']}"
    )
    print(
        f"workers: {len(memory)}, resident {max(m[0] for m in memory):.1f} MB at most "
        f"(peak {max(m[1] for m in memory):.1f} MB)"
    )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Each page's requests/s as a fraction of a bare Django page, both served by gunicorn.

    python bench/http_bench.py
    REDIS_URL=redis://127.0.0.1:6379/9 python bench/http_bench.py

bench/urls.py serves /__bare__/ (a fixed 20 KB page) beside the site, through the same
middleware and gunicorn.conf.py, with production settings (debug off) on a SQLite copy
of the seed. Three servers are started one after the other: page cache off (uncached,
fragments of the article page still cached), page and fragment caches off (cold, article
only), then page cache on (cached). In each, the bare page and one site page are loaded
alternately, BENCH_ROUNDS times, BENCH_SECONDS each, with BENCH_CONNECTIONS connections; a
page's figure is its requests/s over the bare page's in the same round (median over
rounds). Then the workers'
resident memory (VmRSS from /proc/<pid>/status).

Targets (issue 6): article ≥ 25 % of bare uncached and ≥ 70 % cached; search ≥ 15 %;
a worker under 60 MB.
"""

import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import PAGES, Server, free_port, prepare, run_load, tool  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
BARE = "/__bare__/"
# "cold": the page cache and the fragment cache both off, every part drawn from the database.
COLD_PAGES = {"article": PAGES["article"], "search": PAGES["search"]}
TARGETS = {("article", "uncached"): 0.25, ("article", "cached"): 0.70, ("search", "uncached"): 0.15}


def measure(server, label, pages=PAGES):
    rows = []
    server.warm([BARE, *pages.values()])
    for name, path in pages.items():
        ratios, rates, bares, p99 = [], [], [], []
        for _ in range(ROUNDS):
            bare = run_load(server.url, [BARE], CONNECTIONS, SECONDS)
            page = run_load(server.url, [path], CONNECTIONS, SECONDS)
            assert bare["errors"] == page["errors"] == 0, (name, bare, page)
            ratios.append(page["rps"] / bare["rps"])
            rates.append(page["rps"])
            bares.append(bare["rps"])
            p99.append(page["p99"])
        rows.append((name, label, statistics.median(rates), statistics.median(bares),
                     statistics.median(ratios), statistics.median(p99)))  # fmt: skip
    return rows


def main():
    prepare()
    print(f"{tool()}, {CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s per page")
    rows, memory = [], []
    runs = (
        ("uncached", PAGES, {"LECHAN_PAGE_CACHE_SECONDS": "0"}),
        (
            "cold",
            COLD_PAGES,
            {"LECHAN_PAGE_CACHE_SECONDS": "0", "LECHAN_FRAGMENT_CACHE_SECONDS": "0"},
        ),
        ("cached", PAGES, {"LECHAN_PAGE_CACHE_SECONDS": "600"}),
    )
    for label, pages, env in runs:
        server = Server(free_port(), **env)
        try:
            rows += measure(server, label, pages)
            memory += server.worker_memory_mb()
        finally:
            server.stop()
    print(f"\n{'page':<14}{'cache':<10}{'req/s':>8}{'bare req/s':>12}{'of bare':>9}{'p99 ms':>8}")
    failed = []
    for name, label, rps, bare, ratio, p99 in rows:
        target = TARGETS.get((name, label))
        mark = (
            "" if target is None else f" ≥ {target:.0%}" + (" ok" if ratio >= target else " MISSED")
        )
        if target is not None and ratio < target:
            failed.append(name)
        print(f"{name:<14}{label:<10}{rps:>8.0f}{bare:>12.0f}{ratio:>8.0%}{p99:>8.1f}{mark}")
    rss = max(m[0] for m in memory)
    print(
        f"\nworker resident memory: {rss:.1f} MB at most, peak {max(m[1] for m in memory):.1f} MB"
        f" ({len(memory)} workers; target < 60 MB: {'ok' if rss < 60 else 'MISSED'})"
    )
    return 1 if failed or rss >= 60 else 0


if __name__ == "__main__":
    sys.exit(main())

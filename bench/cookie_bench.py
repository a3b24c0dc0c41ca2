"""A made-up session cookie against none, on the seed article, page cache on (issue 13).

    python bench/cookie_bench.py
    REDIS_URL=redis://127.0.0.1:6379/9 python bench/cookie_bench.py

One gunicorn server (bench/serve.py: production settings, a SQLite copy of the seed unless
DATABASE_URL says otherwise). Each round loads the article four times, BENCH_SECONDS each,
with BENCH_CONNECTIONS connections in all: without cookies; all sending
`Cookie: sessionid=bogus`; half plain readers beside half plain readers; half plain readers
beside half bogus-cookie senders. Printed as ratios within the same round (median over
BENCH_ROUNDS rounds); exits 1 if any request failed or a bogus-cookie page missed the cache.
"""

import os
import statistics
import sys
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import PAGES, Server, free_port, prepare, run_load, tool  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 64))
BOGUS = ("Cookie: sessionid=bogus",)
ARTICLE = PAGES["article"]


def x_cache(server, headers):
    request = urllib.request.Request(server.url + ARTICLE)  # noqa: S310 (127.0.0.1)
    for header in headers:
        name, _, value = header.partition(": ")
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()
        return response.headers.get("X-Cache")


def at_once(url, half, others):
    """`half` plain connections beside `half` sending `others`: (plain readers, the others)."""
    results = {}

    def load(name, headers):
        results[name] = run_load(url, [ARTICLE], half, SECONDS, headers=headers)

    threads = [
        threading.Thread(target=load, args=("readers", ())),
        threading.Thread(target=load, args=("others", others)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results["readers"], results["others"]


def measure(server):
    half = CONNECTIONS // 2
    rounds = []
    for n in range(ROUNDS):
        # Each round in the other order, so that neither side always runs first.
        if n % 2:
            bogus = run_load(server.url, [ARTICLE], CONNECTIONS, SECONDS, headers=BOGUS)
            plain = run_load(server.url, [ARTICLE], CONNECTIONS, SECONDS)
            beside, senders = at_once(server.url, half, BOGUS)
            readers, others = at_once(server.url, half, ())
        else:
            plain = run_load(server.url, [ARTICLE], CONNECTIONS, SECONDS)
            bogus = run_load(server.url, [ARTICLE], CONNECTIONS, SECONDS, headers=BOGUS)
            readers, others = at_once(server.url, half, ())
            beside, senders = at_once(server.url, half, BOGUS)
        runs = (plain, bogus, readers, others, beside, senders)
        rounds.append(
            {
                "errors": sum(r["errors"] for r in runs),
                "plain req/s": plain["rps"],
                "plain p50 ms": plain["p50"],
                "plain p99 ms": plain["p99"],
                "bogus req/s": bogus["rps"],
                "bogus p50 ms": bogus["p50"],
                "bogus p99 ms": bogus["p99"],
                "bogus/plain req/s": bogus["rps"] / plain["rps"],
                "bogus/plain p50": bogus["p50"] / plain["p50"],
                "bogus/plain p99": bogus["p99"] / plain["p99"],
                "readers p50 ms beside plain": readers["p50"],
                "readers p50 ms beside bogus": beside["p50"],
                "readers p50 beside bogus/plain": beside["p50"] / readers["p50"],
                "readers p99 beside bogus/plain": beside["p99"] / readers["p99"],
            }
        )
    figures = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    figures["errors"] = sum(r["errors"] for r in rounds)
    return figures


def main():
    prepare()
    server = Server(free_port(), LECHAN_PAGE_CACHE_SECONDS="600")
    try:
        server.warm([ARTICLE])
        hit = x_cache(server, BOGUS)
        print(f"{tool()}, {CONNECTIONS} connections, {ROUNDS} rounds of 4 × {SECONDS} s")
        print(f"article: {ARTICLE}")
        print(f"with `{BOGUS[0]}` the article answers X-Cache: {hit}")
        figures = measure(server)
    finally:
        server.stop()
    for name, value in figures.items():
        print(f"{name:<32}{value:>10.2f}")
    return 0 if hit == "HIT" and not figures["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

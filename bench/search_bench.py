"""Search and filtered-list latency at scale, side by side with a bare Django page.

Usage (from the project root, inside the virtualenv):

    python bench/search_bench.py                      # SQLite file bench/out/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lechan_bench python bench/search_bench.py

The first run fills the database with `generate_demo_data` (100,000 articles,
5,000 projects; a few minutes). Requests go through Django's full stack in this
process (middleware, view, template), debug off, page and fragment caches off. It
prints p50/p95 in ms for each page, the naive icontains query over the same words,
and each p95 as a multiple of the bare page's p95 measured in the same run.

The lists' facet summaries (lechan/lists/facets.py) stay on, as in production: they are
derived from the whole table, not from one address, and read again after every
edit. The first list request after an edit pays that read, timed apart on the line
"facet summary read"; the other processes load what it stored in the shared cache
("facet summary loaded").
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
# The database's own speed is measured here: the whole-page and fragment caches stay off.
os.environ["LECHAN_PAGE_CACHE_SECONDS"] = "0"
os.environ["LECHAN_FRAGMENT_CACHE_SECONDS"] = "0"
(ROOT / "bench" / "out").mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from lechan.lists.views import FacetedFilterView  # noqa: E402
from lechan.search import tokens  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 100_000))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", 5_000))
RUNS = int(os.environ.get("BENCH_RUNS", 40))
QUERIES = [
    "ho sen cau rao",
    "giai phong mat bang",
    "duong",
    "chinh trang do thi",
    "nha o xa hoi vinh niem",
    "trung tam thuong mai",
    "an toan giao thong",
    '"chuyen doi so"',
    "ho tro ho ngheo -le chan",
    "khu do thi moi phia nam",
]
LISTS = [
    "/tin-tuc/",
    "/tin-tuc/?category=kinh-te&year=2020",
    "/tin-tuc/?q=giai+phong+mat+bang",
    "/tin-tuc/?q=giai+phong+mat+bang&category=do-thi",
    "/tin-tuc/?q=giai+phong+mat+bang&page=100",  # past the pages read best tier first
    "/tin-tuc/?q=duong",  # a word 99,500 of the 100,000 articles hold
    "/tin-tuc/?q=duong&category=do-thi",
    "/tin-tuc/?kind=speech&page=5",
    "/tin-tuc/?date_after=2019-01-01&date_before=2019-06-30&sort=oldest",
    "/du-an/?kind=road&status=completed",
    "/du-an/?q=hoang+huy&area_min=10",
    "/du-an/?ward=vinh-niem&sort=-investment",
]


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(action, runs=RUNS):
    action()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def naive(q):
    """The icontains scan a site without a search index would run."""
    words = tokens(q)
    queryset = Article.objects.published()
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(lead__icontains=word) | Q(body__icontains=word)
        )
    return queryset.count(), list(queryset.order_by("-published_at")[:20])


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # debug is off
    have = Article.objects.filter(slug__startswith="demo-").count()
    if have < ARTICLES:
        print(f"generating demo data ({have} → {ARTICLES} articles)…", flush=True)
        call_command("generate_demo_data", articles=ARTICLES - have, projects=PROJECTS, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load
    client = Client(HTTP_HOST="127.0.0.1")

    def get(url):
        def action():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        return action

    forget = FacetedFilterView._summaries.clear  # what this process holds
    total = Article.objects.count()
    print(f"database: {connection.vendor}, {total} articles, {RUNS} runs each\n")
    bare50, bare95 = timed(get("/__bare__/"))
    rows = [("bare Django page (20 KB)", bare50, bare95)]
    search_p95, list_p95, naive_p95 = [], [], []
    for q in QUERIES:
        p50, p95 = timed(get(f"/tim-kiem/?q={q}"))
        search_p95.append(p95)
        rows.append((f"search {q!r}", p50, p95))
        n50, n95 = timed(lambda q=q: naive(q), runs=max(5, RUNS // 8))
        naive_p95.append(n95)
        rows.append((f"  naive icontains {q!r}", n50, n95))
    for url in LISTS:
        p50, p95 = timed(get(url))
        list_p95.append(p95)
        rows.append((f"list {url}", p50, p95))
    for url in ("/tin-tuc/", "/du-an/"):
        # The first request after an edit reads the summary from the rows (a new content
        # version, nothing cached); any other process then loads it from the cache.
        p50, p95 = timed(lambda url=url: (cache.clear(), forget(), get(url)()), 5)
        rows.append((f"facet summary read + list {url}", p50, p95))
        p50, p95 = timed(lambda url=url: (forget(), get(url)()), 5)
        rows.append((f"facet summary loaded from the cache + list {url}", p50, p95))

    width = max(len(name) for name, *_ in rows)
    print(f"{'page':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'p95 / bare':>10}")
    for name, p50, p95 in rows:
        print(f"{name:<{width}}  {p50:8.1f}  {p95:8.1f}  {p95 / bare95:10.1f}")
    print()
    print(f"search p95, worst page:  {max(search_p95):.1f} ms (target ≤ 30 on SQLite)")
    print(f"list p95, worst page:    {max(list_p95):.1f} ms (target ≤ 50 on SQLite)")
    print(
        f"naive icontains p95:     {max(naive_p95):.1f} ms (worst), "
        f"{max(naive_p95) / max(search_p95):.1f}× the indexed search page"
    )


if __name__ == "__main__":
    main()

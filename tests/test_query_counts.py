"""Every public page type runs at most twelve queries, cold, whatever the amount of content.

"Cold": an empty cache, so no fragment, content version or facet summary is kept yet
(each list reads its summary again); a page's queries must not grow with its rows.
The portal is tests/portal.py's: articles with photos, tags, a speaker, an event,
projects and key figures; projects with a ward, photos, milestones and figures.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lechan.lists.views import FacetedFilterView
from tests.portal import build_portal

pytestmark = pytest.mark.django_db
BUDGET = 12

# {page: (address from the portal, status)}
PAGES = {
    "home": (lambda p: "/", 200),
    "article list": (lambda p: "/tin-tuc/", 200),
    "article list, page 2": (lambda p: "/tin-tuc/?page=2", 200),
    "article list, a category": (lambda p: f"/tin-tuc/?category={p.category.slug}", 200),
    "article list, a kind and a year": (lambda p: "/tin-tuc/?kind=speech&year=2024", 200),
    "article list, a tag": (lambda p: f"/tin-tuc/?tag={p.tag.slug}", 200),
    "article list, a category and a tag": (
        lambda p: f"/tin-tuc/?category={p.category.slug}&tag={p.tag.slug}",
        200,
    ),
    "article list, a speaker and dates": (
        lambda p: f"/tin-tuc/?speaker={p.speaker.slug}&date_after=2020-01-01",
        200,
    ),
    "article list, a search": (lambda p: "/tin-tuc/?q=dai+hoi", 200),
    "article list, a search, newest first, page 2": (
        lambda p: "/tin-tuc/?q=dai+hoi&sort=newest&page=2",
        200,
    ),
    "article list, an invalid filter": (lambda p: "/tin-tuc/?year=abc&project=nope", 200),
    "article list, empty": (lambda p: "/tin-tuc/?q=khongcotukhoanay", 200),
    "article": (lambda p: p.article.get_absolute_url(), 200),
    "project list": (lambda p: "/du-an/", 200),
    "project list, page 2": (lambda p: "/du-an/?page=2", 200),
    "project list, filters": (
        lambda p: f"/du-an/?kind=road&ward={p.ward.slug}&area_min=1&sort=-area",
        200,
    ),
    "project list, a search": (lambda p: "/du-an/?q=ho+sen", 200),
    "project list, an invalid filter": (lambda p: "/du-an/?area_min=abc&ward=nope", 200),
    "project": (lambda p: p.project.get_absolute_url(), 200),
    "site search": (lambda p: "/tim-kiem/?q=ho+sen", 200),
    "site search, page 2": (lambda p: "/tim-kiem/?q=dai+hoi&page=2", 200),
    "site search, nothing found": (lambda p: "/tim-kiem/?q=khongcotukhoanay", 200),
    "key figures": (lambda p: "/so-lieu/", 200),
    "key figures, filtered": (lambda p: f"/so-lieu/?q=dien+tich&project={p.project.slug}", 200),
    "404": (lambda p: "/tin-tuc/khong-co-bai-nay/", 404),
}


def cold_queries(client, url, status):
    """The queries `url` runs with nothing cached.

    Not counted: SQLite's JSON support, which Django asks once per process.
    """
    connection.features.supports_json_field  # noqa: B018
    cache.clear()
    FacetedFilterView._summaries.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, url
    return [query["sql"] for query in queries.captured_queries]


def cold_counts(client, portal):
    """{page: its cold query count}, and the queries of those over the budget."""
    counts, over = {}, []
    for name, (address, status) in PAGES.items():
        queries = cold_queries(client, address(portal), status)
        counts[name] = len(queries)
        if len(queries) > BUDGET:
            over += [f"{name}: {len(queries)} queries", *(f"    {sql}" for sql in queries)]
    return counts, over


@pytest.fixture
def portal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # More rows than a page of each list holds (20 articles, 30 projects, 20 results).
    return build_portal(articles=32, projects=32, photos=False)


def test_every_public_page_type_runs_at_most_twelve_queries_cold(client, portal):
    counts, over = cold_counts(client, portal)
    assert not over, "\n".join(over)
    assert set(counts) == set(PAGES)


def test_no_public_page_runs_more_queries_for_more_content(client, portal):
    few, _ = cold_counts(client, portal)
    build_portal(articles=40, projects=40, photos=False)
    many, _ = cold_counts(client, portal)
    grew = {name: (few[name], many[name]) for name in PAGES if many[name] > few[name]}
    assert not grew, f"More queries with more rows (before, after): {grew}"

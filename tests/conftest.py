import os
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from articles.models import Article
from lechan.cache import content_version
from projects.models import Project

# CI sets this so that tests needing PostgreSQL or Redis fail instead of skipping.
REQUIRE_SERVICES = os.environ.get("LECHAN_REQUIRE_SERVICES") == "1"

# Generated-input tests: `make test` runs the same examples every time ("ci": derandomized, no
# example database), so a fresh clone never fails at random; `make fuzz` explores at random
# with many more examples ("fuzz", chosen with --hypothesis-profile=fuzz). Every failure the
# fuzz run finds becomes an explicit @example in the test it came from.
_GENERATED_INPUT = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile(
    "ci", max_examples=400, derandomize=True, database=None, **_GENERATED_INPUT
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("LECHAN_FUZZ_EXAMPLES", "2000")),
    derandomize=False,
    database=None,
    **_GENERATED_INPUT,
)
hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            reason = "needs PostgreSQL: set DATABASE_URL=postgres://…"
            if REQUIRE_SERVICES:
                raise pytest.UsageError(f"{item.nodeid} {reason} (LECHAN_REQUIRE_SERVICES=1)")
            item.add_marker(pytest.mark.skip(reason=reason))
        is_redis = "redis" in django_settings.CACHES["default"]["BACKEND"].lower()
        if "redis" in item.keywords and not is_redis:
            reason = "needs Redis: set REDIS_URL=redis://…"
            if REQUIRE_SERVICES:
                raise pytest.UsageError(f"{item.nodeid} {reason} (LECHAN_REQUIRE_SERVICES=1)")
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    """Say how many requests the generated-input tests sent (tests/test_fuzz.py counts them)."""
    fuzz = sys.modules.get("tests.test_fuzz")
    if fuzz is not None and fuzz.REQUESTS_SENT:
        terminalreporter.write_line(f"generated-input requests sent: {fuzz.REQUESTS_SENT}")


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache, and without the page cache.

    A cached page would hide the view's context and queries from the tests that look at
    them; tests/lechan/test_pagecache.py turns it on with the `page_cache` fixture.
    """
    from django.core.cache import cache

    cache.clear()
    settings.LECHAN_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings, db):
    """The page cache as in production, its content version already looked up."""
    settings.LECHAN_PAGE_CACHE_SECONDS = 600
    content_version()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("bientap", "bientap@example.com", "x-pass-1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def make_article(db):
    """Build a published article; keyword arguments override the defaults."""

    def make(**fields):
        fields.setdefault("title", "Bài viết thử")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        fields.setdefault("lead", "Sapo của bài viết.")
        fields.setdefault("body", "<p>Đoạn một.</p>\n<p>Đoạn hai.</p>")
        return Article.objects.create(**fields)

    return make


@pytest.fixture
def make_project(db):
    def make(**fields):
        fields.setdefault("name", "Dự án thử")
        fields.setdefault("kind", Project.Kind.ROAD)
        return Project.objects.create(**fields)

    return make

import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from projects.models import Project

# CI sets this so that tests needing PostgreSQL or Redis fail instead of skipping.
REQUIRE_SERVICES = os.environ.get("LECHAN_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            reason = "needs PostgreSQL: set DATABASE_URL=postgres://…"
            if REQUIRE_SERVICES:
                raise pytest.UsageError(f"{item.nodeid} {reason} (LECHAN_REQUIRE_SERVICES=1)")
            item.add_marker(pytest.mark.skip(reason=reason))


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

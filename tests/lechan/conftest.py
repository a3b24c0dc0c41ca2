"""Fixtures shared by the tests of the content version (cache.py) and the page cache."""

import pytest
from django.urls import reverse


@pytest.fixture
def pages():
    """The addresses of every kind of public page, given an article and a project to show."""

    def addresses(article, project):
        return [
            reverse("home"),
            reverse("articles:list"),
            article.get_absolute_url(),
            reverse("projects:list"),
            project.get_absolute_url(),
            reverse("search") + "?q=ho+sen",
            reverse("articles:feed"),
            reverse("sitemap"),
        ]

    return addresses

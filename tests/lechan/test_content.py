"""The registry content apps plug into (lechan/content.py)."""

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured

from articles.models import Article, Tag
from lechan import content


class TagSitemap(Sitemap):
    pass


def test_the_sitemap_index_lists_every_apps_lists_then_every_apps_items():
    assert list(content.sitemaps()) == ["article-list", "project-list", "articles", "projects"]


def test_a_second_item_sitemap_of_one_app_is_refused_rather_than_replacing_the_first():
    before = content.sitemaps()
    with pytest.raises(ImproperlyConfigured, match="articles.Tag"):
        content.register(Tag, sitemaps={"items": TagSitemap})
    assert content.sitemaps() == before
    assert Tag._meta.label not in {item.model._meta.label for item in content.registered()}


def test_an_app_registering_again_replaces_its_own_declaration():
    declared = next(item for item in content.registered() if item.model is Article)
    content.register(
        Article,
        search=declared.search,
        schedule=declared.schedule,
        reporter_permissions=declared.reporter_permissions,
        sitemaps={"list": declared.list_sitemap, "items": declared.sitemap},
    )
    assert content.registered().count(declared) == 1

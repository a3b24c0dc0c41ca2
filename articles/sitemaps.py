from typing import NamedTuple

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article, Category


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


def last_update(articles):
    """When the newest change among `articles` was made (None for none)."""
    return articles.aggregate(latest=Max("updated_at"))["latest"]


class ListPage(NamedTuple):
    location: str
    lastmod: object


class ArticleListSitemap(Sitemap):
    """The article list, each category's list and the key figures, as of their newest change."""

    changefreq = "daily"
    priority = 0.7

    def items(self):
        published = Article.objects.published()
        by_category = dict(
            published.order_by().values_list("category").annotate(latest=Max("updated_at"))
        )
        categories = Category.objects.filter(pk__in=[pk for pk in by_category if pk])
        newest = max(by_category.values(), default=None)
        # With no figure yet, the figures page is as new as the list: an entry without a date
        # would take the Last-Modified header off the whole sitemap.
        figures = last_update(published.filter(key_figures__isnull=False)) or newest
        return [
            ListPage(reverse("articles:list"), newest),
            *(ListPage(c.get_absolute_url(), by_category[c.pk]) for c in categories),
            ListPage(reverse("figures"), figures),
        ]

    def location(self, item):
        return item.location

    def lastmod(self, item):
        return item.lastmod

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ArticleListSitemap(Sitemap):
    """The article list, last modified when its newest change was."""

    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["articles:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]

"""The home page's sitemap entry: site level, like the home view, so it may import both apps."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from articles.sitemaps import last_update
from projects.sitemaps import ProjectListSitemap


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        dates = [last_update(Article.objects.published()), ProjectListSitemap().lastmod(None)]
        return max((date for date in dates if date), default=None)

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from projects.models import Project


class ProjectSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Project.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ProjectListSitemap(Sitemap):
    """The project register, last modified when its newest change was."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["projects:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Project.objects.published().aggregate(latest=Max("updated_at"))["latest"]

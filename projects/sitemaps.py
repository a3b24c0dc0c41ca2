from django.contrib.sitemaps import Sitemap

from projects.models import Project


class ProjectSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Project.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from articles.models import Article

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    title = f"{settings.SITE_NAME}: tin mới"
    description = "Các bài viết mới nhất của cổng thông tin quận Lê Chân."
    language = "vi"

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().for_cards()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.reporter or None

    def item_categories(self, item):
        return [item.category.name] if item.category else []

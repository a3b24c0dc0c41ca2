"""RSS and Atom feeds of the latest published articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article, Category

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    """RSS of the latest published articles, of every category or of one."""

    language = "vi"
    url_name = "articles:feed"

    def get_object(self, request, category=None):
        return get_object_or_404(Category, slug=category) if category else None

    def title(self, category):
        if category:
            return f"{settings.LECHAN_SITE_NAME}: {category.name}"
        return f"{settings.LECHAN_SITE_NAME}: tin mới"

    def description(self, category):
        if category:
            return f"Các bài viết mới nhất trong chuyên mục {category.name}, quận Lê Chân."
        return "Các bài viết mới nhất của cổng thông tin quận Lê Chân."

    def link(self, category):
        return category.get_absolute_url() if category else reverse("articles:list")

    def feed_url(self, category):
        args = [category.slug] if category else []
        return reverse(self.url_name, args=args)

    def items(self, category):
        articles = Article.objects.published().for_cards().prefetch_related("tags")
        if category:
            articles = articles.filter(category=category)
        return articles[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> hold HTML: the plain-text lead is
        # escaped, so that a feed reader shows its text (a "<" included) and never markup.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.reporter or None

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        return names + [tag.name for tag in item.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "articles:atom"

    def subtitle(self, category):
        return self.description(category)

from django.apps import AppConfig

REPORTER_PERMISSIONS = [
    "view_article", "add_article", "change_article", "delete_article",
    "view_articleimage", "add_articleimage", "change_articleimage", "delete_articleimage",
    "view_keyfigure", "add_keyfigure", "change_keyfigure", "delete_keyfigure",
    "view_category", "view_tag", "add_tag", "view_person", "add_person",
    "view_event", "add_event",
]  # fmt: skip


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Tin bài"

    def ready(self):
        from articles.models import Article
        from articles.sitemaps import ArticleListSitemap, ArticleSitemap
        from lechan import content

        content.register(
            Article,
            search={"title": "title", "lead": "lead", "body": "body"},
            schedule="published_at",
            reporter_permissions=REPORTER_PERMISSIONS,
            sitemaps={"list": ArticleListSitemap, "items": ArticleSitemap},
        )

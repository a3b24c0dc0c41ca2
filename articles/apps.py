from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Tin bài"

    def ready(self):
        from articles.models import Article
        from lechan import cache, search

        search.register(Article, title="title", lead="lead", body="body")
        cache.watch_takedowns(Article)

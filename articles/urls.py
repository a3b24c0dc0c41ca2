from django.urls import path

from articles import views
from articles.feeds import LatestArticlesAtomFeed, LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("rss/<slug:category>/", LatestArticlesFeed(), name="feed"),
    path("atom/", LatestArticlesAtomFeed(), name="atom"),
    path("atom/<slug:category>/", LatestArticlesAtomFeed(), name="atom"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]

from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]

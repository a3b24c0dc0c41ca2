"""The content version: every change, and a scheduled item's time coming, shows at once."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from lechan import cache

pytestmark = pytest.mark.usefixtures("page_cache")


def test_editing_an_article_shows_on_every_cached_page(client, make_article, make_project, pages):
    article = make_article(title="Tiêu đề cũ")
    project = make_project()
    shown = [reverse("home"), reverse("articles:list"), article.get_absolute_url()]
    for url in pages(article, project):
        client.get(url)
    article.title = "Tiêu đề đã sửa"
    article.save()
    for url in shown:
        page = client.get(url).content.decode()
        assert "Tiêu đề đã sửa" in page, url
        assert "Tiêu đề cũ" not in page, url


def test_publishing_unpublishing_and_deleting_show_at_once(client, make_article):
    draft = make_article(title="Bài chờ đăng", status=Article.Status.DRAFT)
    assert "Bài chờ đăng" not in client.get(reverse("articles:list")).content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Bài chờ đăng" in client.get(reverse("articles:list")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200
    draft.status = Article.Status.UNPUBLISHED
    draft.save()
    assert "Bài chờ đăng" not in client.get(reverse("articles:list")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    other = make_article(title="Bài sẽ xóa")
    assert "Bài sẽ xóa" in client.get(reverse("home")).content.decode()
    other.delete()
    assert "Bài sẽ xóa" not in client.get(reverse("home")).content.decode()


def test_adding_a_tag_or_changing_a_project_shows_at_once(client, make_article, make_project):
    article = make_article()
    project = make_project(name="Dự án cũ")
    article.projects.add(project)
    url = article.get_absolute_url()
    assert "Thẻ mới" not in client.get(url).content.decode()
    article.tags.add(Tag.objects.create(name="Thẻ mới"))
    assert "Thẻ mới" in client.get(url).content.decode()
    project.name = "Dự án đổi tên"
    project.save()
    assert "Dự án đổi tên" in client.get(url).content.decode()


def test_a_scheduled_article_appears_when_its_time_comes_without_any_save(client, make_article):
    publish_at = timezone.now() + timedelta(hours=2)
    make_article(title="Bài hẹn giờ", published_at=publish_at)
    assert "Bài hẹn giờ" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("home"))["X-Cache"] == "HIT"
    later = publish_at + timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch.object(cache.time, "time", return_value=later.timestamp()),
    ):
        response = client.get(reverse("home"))
    assert response["X-Cache"] == "MISS"
    assert "Bài hẹn giờ" in response.content.decode()


def test_a_save_starts_a_new_version_without_a_query_of_its_own(make_article):
    from django.db import connection
    from django.db.models.signals import post_save
    from django.test.utils import CaptureQueriesContext

    article = make_article()
    version = cache.content_version()
    with CaptureQueriesContext(connection) as with_cache:
        article.save()
    assert cache.content_version() != version
    post_save.disconnect(dispatch_uid="lechan.cache")
    try:
        with CaptureQueriesContext(connection) as without_cache:
            article.save()
    finally:
        post_save.connect(cache.on_content_changed, dispatch_uid="lechan.cache", weak=False)
    assert len(with_cache) == len(without_cache)

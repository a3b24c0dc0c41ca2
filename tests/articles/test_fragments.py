"""Article page fragments: what readers get from the cache, what renews it, who never sees it."""

import pytest
from django.test import Client

from articles.models import Article, KeyFigure
from lechan import cache as lechan_cache

pytestmark = pytest.mark.django_db


def page(client, article, **headers):
    response = client.get(article.get_absolute_url(), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def article(make_article, make_project):
    article = make_article(title="Đổi mới phương thức lãnh đạo", body="<p>Nội dung gốc.</p>")
    article.projects.add(make_project(name="Cầu Rào 2"))
    KeyFigure.objects.create(article=article, label="Vốn đầu tư", value=120, unit="tỷ đồng")
    return article


def test_a_fragment_hit_reads_only_the_article_row(client, article, django_assert_num_queries):
    first = page(client, article)
    with django_assert_num_queries(1):
        second = page(client, article)
    assert second == first
    assert "Nội dung gốc." in second
    assert "Cầu Rào 2" in second
    assert "Vốn đầu tư" in second


def test_without_fragments_every_request_renders_from_the_database(
    client, settings, article, django_assert_max_num_queries
):
    settings.LECHAN_FRAGMENT_CACHE_SECONDS = 0
    page(client, article)
    with django_assert_max_num_queries(6) as queries:
        page(client, article)
    assert len(queries) > 1


def test_editing_the_article_shows_on_the_next_request(client, article):
    page(client, article)
    article.body = "<p>Nội dung đã sửa.</p>"
    article.save()
    html = page(client, article)
    assert "Nội dung đã sửa." in html
    assert "Nội dung gốc." not in html


def test_editing_an_article_in_other_news_shows_on_the_next_request(client, article, make_article):
    other = make_article(title="Tin khác cũ")
    assert "Tin khác cũ" in page(client, article)
    other.title = "Tin khác đã sửa"
    other.save()
    html = page(client, article)
    assert "Tin khác đã sửa" in html
    assert "Tin khác cũ" not in html


def test_editing_a_related_project_shows_on_the_next_request(client, article):
    page(client, article)
    project = article.projects.get()
    project.name = "Cầu Rào 2 (đã đổi tên)"
    project.save()
    assert "Cầu Rào 2 (đã đổi tên)" in page(client, article)


def test_an_unpublished_article_answers_404_even_with_its_fragments_cached(client, article):
    page(client, article)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_signed_in_editor_neither_reads_nor_fills_fragments(editor_client, article):
    reader = Client()
    page(reader, article)
    # A change made without a save signal keeps the content version: fragments stay.
    Article.objects.filter(pk=article.pk).update(body="<p>Sửa thẳng trong cơ sở dữ liệu.</p>")
    assert "Nội dung gốc." in page(reader, article)
    assert "Sửa thẳng trong cơ sở dữ liệu." in page(editor_client, article)
    lechan_cache.cache_call("clear")
    Article.objects.filter(pk=article.pk).update(body="<p>Lần sửa thứ hai.</p>")
    page(editor_client, article)
    Article.objects.filter(pk=article.pk).update(body="<p>Lần sửa thứ ba.</p>")
    assert "Lần sửa thứ ba." in page(reader, article)


def test_a_staff_preview_of_a_draft_is_never_served_from_a_fragment(editor_client, make_article):
    draft = make_article(title="Bản nháp", body="<p>Nháp một.</p>", status=Article.Status.DRAFT)
    assert "Nháp một." in page(editor_client, draft)
    Article.objects.filter(pk=draft.pk).update(body="<p>Nháp hai.</p>")
    html = page(editor_client, draft)
    assert "Nháp hai." in html
    assert "preview-banner" in html
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_fragments_keep_each_host_s_own_addresses(client, settings, article):
    # The page has no inline script and so no CSP nonce; what differs between responses
    # of one article is the host in its absolute addresses (QR code, share links).
    settings.ALLOWED_HOSTS = ["lechan.example", "www.lechan.example"]
    one = page(client, article, host="lechan.example")
    other = page(client, article, host="www.lechan.example")
    address = article.get_absolute_url()
    assert f'<span class="qr-url">http://lechan.example{address}</span>' in one
    assert "www.lechan.example" not in one
    assert f'<span class="qr-url">http://www.lechan.example{address}</span>' in other
    second = client.get(article.get_absolute_url(), headers={"host": "www.lechan.example"})
    assert second.content.decode() == other
    assert "script-src 'self'" in second["Content-Security-Policy"]


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_the_page_is_rendered_from_the_database_when_the_cache_fails(
    client, article, monkeypatch, caplog
):
    page(client, article)
    monkeypatch.setattr(lechan_cache, "caches", {"default": BrokenCache()})
    monkeypatch.setattr(lechan_cache, "_down_until", {})
    Article.objects.filter(pk=article.pk).update(body="<p>Khi bộ nhớ đệm hỏng.</p>")
    html = page(client, article)
    assert "Khi bộ nhớ đệm hỏng." in html
    assert "Cầu Rào 2" in html
    assert "Cache unavailable" in caplog.text

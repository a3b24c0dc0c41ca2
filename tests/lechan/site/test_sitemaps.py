"""What machines read: the sitemap and robots.txt."""

from datetime import datetime, timezone
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Category, KeyFigure
from projects.models import Project

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def seed(db):
    call_command("loaddata", "lechan", verbosity=0)
    return Article.objects.get()


def sitemap_entries(client):
    response = client.get(reverse("sitemap"))
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    entries = {
        url.findtext(f"{SITEMAP}loc").removeprefix("http://testserver"): url.findtext(
            f"{SITEMAP}lastmod"
        )
        for url in root.iter(f"{SITEMAP}url")
    }
    return response, entries


def test_sitemap_lists_pages_lists_articles_and_projects_with_lastmod(client, seed):
    response, entries = sitemap_entries(client)
    for path in (
        "/",
        "/tin-tuc/",
        "/tin-tuc/?category=xay-dung-dang",
        "/so-lieu/",
        "/du-an/",
        seed.get_absolute_url(),
        "/du-an/duong-ho-sen-cau-rao-2/",
    ):
        assert entries.get(path), path
    assert len(entries) == 5 + 1 + Project.objects.count()
    assert "Last-Modified" in response


def test_category_lists_and_key_figures_are_dated_by_their_newest_article(client, make_article):
    party, economy = (
        Category.objects.create(name="Xây dựng Đảng"),
        Category.objects.create(name="Kinh tế"),
    )
    Category.objects.create(name="Chưa có bài")
    old = make_article(title="Bài cũ", category=party)
    new = make_article(title="Bài mới", category=economy)
    stated = make_article(title="Bài có số liệu")
    KeyFigure.objects.create(article=stated, label="Tổng vốn", value=40843, unit="tỷ đồng")
    make_article(title="Bài nháp", category=party, status=Article.Status.DRAFT)
    dates = {
        old: datetime(2020, 10, 15, 3, 51, tzinfo=timezone.utc),
        new: datetime(2021, 1, 2, 3, 0, tzinfo=timezone.utc),
        stated: datetime(2020, 11, 5, 1, 0, tzinfo=timezone.utc),
    }
    for article, date in dates.items():
        Article.objects.filter(pk=article.pk).update(updated_at=date)
    _, entries = sitemap_entries(client)
    articles = {article.get_absolute_url() for article in Article.objects.all()}
    lists = {path: date for path, date in entries.items() if path not in articles}
    assert lists == {
        "/": "2021-01-02",
        "/tin-tuc/": "2021-01-02",
        "/tin-tuc/?category=xay-dung-dang": "2020-10-15",
        "/tin-tuc/?category=kinh-te": "2021-01-02",
        "/so-lieu/": "2020-11-05",
        "/du-an/": None,
    }


def test_sitemap_leaves_out_drafts_and_hidden_projects(client, make_article, make_project):
    draft = make_article(title="Nháp", status=Article.Status.DRAFT)
    hidden = make_project(name="Ẩn", is_published=False)
    body = client.get(reverse("sitemap")).content.decode()
    assert draft.get_absolute_url() not in body
    assert hidden.get_absolute_url() not in body


def test_sitemap_keeps_its_last_modified_before_any_key_figure(client, make_article, make_project):
    make_article(title="Tin không có số liệu")
    make_project(name="Đường mới")
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    assert "Last-Modified" in response


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()

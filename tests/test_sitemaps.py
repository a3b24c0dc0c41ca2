"""What machines read: the sitemap and robots.txt."""

from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from projects.models import Project

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def seed(db):
    call_command("loaddata", "lechan", verbosity=0)
    return Article.objects.get()


def test_sitemap_lists_pages_lists_articles_and_projects_with_lastmod(client, seed):
    response = client.get(reverse("sitemap"))
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    base = "http://testserver"
    for path in (
        "/",
        "/tin-tuc/",
        "/du-an/",
        seed.get_absolute_url(),
        "/du-an/duong-ho-sen-cau-rao-2/",
    ):
        assert entries.get(base + path), path
    assert len(entries) == 3 + 1 + Project.objects.count()
    assert "Last-Modified" in response


def test_sitemap_leaves_out_drafts_and_hidden_projects(client, make_article, make_project):
    draft = make_article(title="Nháp", status=Article.Status.DRAFT)
    hidden = make_project(name="Ẩn", is_published=False)
    body = client.get(reverse("sitemap")).content.decode()
    assert draft.get_absolute_url() not in body
    assert hidden.get_absolute_url() not in body


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()

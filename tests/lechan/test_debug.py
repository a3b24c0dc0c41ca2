"""Debug mode (the local default) as a newcomer meets it: the site's Vietnamese 404 page for
readers, Django's debug pages readable under the Content-Security-Policy."""

import base64
import hashlib
import re
from unittest import mock

import pytest

from articles.models import Article
from lechan.models import Redirect
from lechan.site import views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def site_404(response):
    page = response.content.decode()
    return (
        response.status_code == 404
        and '<html lang="vi">' in page
        and "Không tìm thấy trang" in page
        and "Page not found" not in page
    )


def style_sources(response):
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )
    return policy["style-src"].split(), policy["script-src"].split()


def test_an_address_no_page_answers_gives_the_sites_vietnamese_404_page(client):
    assert site_404(client.get("/khong-co-trang-nay/"))
    assert site_404(client.get("/tin-tuc/khong-co/bai-nay/"))


def test_a_missing_article_or_a_draft_gives_the_sites_404_page(client, make_article):
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT)
    assert site_404(client.get(draft.get_absolute_url()))
    assert site_404(client.get("/tin-tuc/khong-co-bai-nay/"))


def test_a_missing_slash_and_an_old_address_still_redirect(client, make_article):
    article = make_article(title="Bài mới")
    Redirect.objects.create(old_path="/tin-tuc/bai-cu/", new_path=article.get_absolute_url())
    response = client.get("/tin-tuc")
    assert (response.status_code, response["Location"]) == (301, "/tin-tuc/")
    response = client.get("/tin-tuc/bai-cu/")
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())


def test_the_admin_keeps_djangos_technical_404_for_developers(admin_client):
    response = admin_client.get("/admin/khong-co/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_out_of_debug_the_404_page_is_the_same(client, settings):
    settings.DEBUG = False
    assert site_404(client.get("/khong-co-trang-nay/"))


def test_djangos_debug_500_page_has_its_styles_allowed_by_hash_and_no_script(client):
    client.raise_request_exception = False
    with mock.patch.object(views.HomeView, "get", side_effect=RuntimeError("hỏng")):
        response = client.get("/")
    assert response.status_code == 500
    assert b"Traceback" in response.content
    styles, scripts = style_sources(response)
    blocks = re.findall(rb"<style[^>]*>(.*?)</style>", response.content, re.S)
    assert blocks
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block).digest()).decode()
        assert f"'sha256-{digest}'" in styles
    assert "'unsafe-inline'" not in styles
    assert scripts == ["'self'"]


def test_a_site_page_keeps_the_strict_policy_in_debug(client, make_article):
    article = make_article()
    for response in (client.get("/"), client.get(article.get_absolute_url())):
        styles, scripts = style_sources(response)
        assert styles == ["'self'"] and scripts == ["'self'"]

from unittest import mock

import pytest
import segno
from django.core.cache import cache

from lechan import qr

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_qr_svg_is_an_accessible_image_of_the_address():
    svg = qr.qr_svg("https://lechan.example/tin-tuc/bai-viet/")
    assert svg.startswith('<svg role="img" ')
    assert "<title>Mã QR dẫn tới địa chỉ https://lechan.example/tin-tuc/bai-viet/</title>" in svg
    assert "<?xml" not in svg


def test_qr_svg_draws_the_code_segno_makes_for_the_address():
    url = "https://lechan.example/du-an/duong-ho-sen-cau-rao-2/"
    code = segno.make(url, error="m", micro=False)
    path = code.svg_inline(scale=1, border=2, omitsize=True).split(' d="')[1].split('"')[0]
    assert f' d="{path}"' in qr.qr_svg(url)


def test_qr_title_escapes_the_address():
    svg = qr.qr_svg('https://lechan.example/?q=<script>&x="1"')
    assert "<script>" not in svg


def test_qr_svg_is_drawn_once_then_served_from_the_cache():
    url = "https://lechan.example/tin-tuc/mot-bai/"
    with mock.patch.object(qr.segno, "make", wraps=segno.make) as make:
        first = qr.qr_svg(url)
        second = qr.qr_svg(url)
        other = qr.qr_svg("https://lechan.example/tin-tuc/bai-khac/")
    assert first == second != other
    assert make.call_count == 2


def test_article_and_project_pages_show_the_qr_code_of_their_absolute_address(
    client, make_article, make_project
):
    for item in (make_article(), make_project()):
        url = "http://testserver" + item.get_absolute_url()
        page = client.get(item.get_absolute_url()).content.decode()
        assert qr.make_svg(url) in page
        assert f'<span class="qr-url">{url}</span>' in page


@pytest.mark.parametrize("kind", ["article", "project"])
def test_pages_reuse_the_cached_qr_code(client, settings, make_article, make_project, kind):
    # Fragments off: the article's cached fragment would otherwise hide the QR cache.
    settings.LECHAN_FRAGMENT_CACHE_SECONDS = 0
    item = make_article() if kind == "article" else make_project()
    url = "http://testserver" + item.get_absolute_url()
    svg = qr.make_svg(url)
    with mock.patch.object(qr.segno, "make", wraps=segno.make) as make:
        for _ in range(3):
            assert svg in client.get(item.get_absolute_url()).content.decode()
        assert make.call_count == 1
        # Each page did ask for the code: once it leaves the cache, it is drawn again.
        cache.delete(qr.cache_key(url))
        assert svg in client.get(item.get_absolute_url()).content.decode()
        assert make.call_count == 2

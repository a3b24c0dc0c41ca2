"""The reader's pages as a reader and a machine see them: tools, metadata, sitemap, robots."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleImage, Category, KeyFigure, Person, Tag
from projects.models import Project, ProjectImage, ProjectMilestone

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PAGE_BUDGET = 60 * 1024


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def json_ld(page):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def meta(page, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    return match.group(1) if match else None


def jpeg(name="anh.jpg", size=(1600, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def seed(db):
    call_command("loaddata", "lechan", verbosity=0)
    return Article.objects.get()


# The article page


def test_seed_article_page_has_every_part_the_portal_shows(client, seed):
    page = page_of(client, seed.get_absolute_url())
    assert '<nav class="breadcrumbs" aria-label="Vị trí">' in page
    assert 'href="/tin-tuc/?category=xay-dung-dang">Xây dựng Đảng</a>' in page
    assert "Tham luận, phát biểu · Xây dựng Đảng" in page
    assert "Thứ Năm, 15/10/2020 10:51" in page
    assert '<p class="lead">Sáng 15-10, trong ngày làm việc thứ ba' in page
    assert '<p class="byline">HỒNG THANH (GHI) – ẢNH: DUY THÍNH</p>' in page
    assert '<p class="source" id="nguon">Gốc: Cổng tin tức Thành phố Hải Phòng</p>' in page
    assert '<a href="#nguon">Gốc</a>' in page  # no address known: the date line points to it
    assert "Lê Trung Kiên</a>, Bí thư Quận ủy Lê Chân" in page
    assert "Đại hội 16 Đảng bộ thành phố</a>" in page
    assert '<section class="box figures-box">' in page
    assert "<strong>40.843</strong> tỷ đồng" in page
    assert "(2016–2020)" in page
    assert 'href="/tin-tuc/?tag=quan-le-chan">Quận Lê Chân</a>' in page
    # Related projects as cards with their status.
    assert 'href="/du-an/duong-ho-sen-cau-rao-2/">Đường Hồ Sen – Cầu Rào 2</a>' in page
    assert '<span class="status status-completed">Đã hoàn thành</span>' in page


def test_seed_photo_without_a_file_is_a_caption_only_figure(client, seed):
    page = page_of(client, seed.get_absolute_url())
    figure = page.split('<figure class="photo photo-missing">')[1].split("</figure>")[0]
    assert "<img" not in figure and "<picture" not in figure
    assert "Đồng chí Lê Trung Kiên, Bí thư Quận ủy Lê Chân trình bày tham luận" in figure
    assert '<span class="credit">Ảnh: Duy Thính</span>' in figure
    # In its place: after the second paragraph, before the third.
    body = page.split('<div class="article-body">')[1]
    assert body.index("Tuy nhiên, trong nhiều năm trước") < body.index("photo-missing")
    assert body.index("photo-missing") < body.index("Thực hiện Nghị quyết")


def test_article_page_has_share_links_that_load_nothing_before_a_click(client, make_article):
    article = make_article(title="Bài chia sẻ")
    page = page_of(client, article.get_absolute_url())
    address = "http%3A%2F%2Ftestserver%2Ftin-tuc%2Fbai-chia-se%2F"
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={address}"' in page
    assert f'href="https://sp.zalo.me/share_inline?url={address}"' in page
    assert 'data-copy-link="http://testserver/tin-tuc/bai-chia-se/"' in page
    assert "data-print hidden>In bài</button>" in page
    # Only the site's own script and stylesheet; no third-party script, frame or style.
    sources = re.findall(r'<(?:script|iframe|img)[^>]* src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert sources == ["/static/js/site.js"]
    assert styles == ["/static/css/site.css"]


def test_pages_have_no_inline_script_or_style(client, seed):
    project = Project.objects.get(slug="duong-ho-sen-cau-rao-2")
    for url in (reverse("home"), seed.get_absolute_url(), project.get_absolute_url()):
        page = page_of(client, url)
        assert " style=" not in page
        assert "<style" not in page
        for script in re.findall(r"<script([^>]*)>", page):
            assert 'src="' in script or 'type="application/ld+json"' in script
        assert not re.search(r"<[^>]+\son[a-z]+=", page)


def test_article_page_metadata_for_machines(client, seed):
    page = page_of(client, seed.get_absolute_url())
    url = "http://testserver" + seed.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in page
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == url
    assert meta(page, "og:title") == seed.title
    assert meta(page, "og:locale") == "vi_VN"
    assert meta(page, "og:description").startswith("Sáng 15-10")
    assert meta(page, "og:image") == "http://testserver/static/img/og-default.png"
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "article:published_time") == "2020-10-15T10:51:00+07:00"
    assert meta(page, "article:section") == "Xây dựng Đảng"
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == seed.title
    assert data["datePublished"] == "2020-10-15T10:51:00+07:00"
    assert data["author"] == [{"@type": "Person", "name": "Hồng Thanh (ghi)"}]
    assert data["publisher"]["name"] == "Cổng thông tin quận Lê Chân"
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["inLanguage"] == "vi"
    assert data["sourceOrganization"]["name"] == "Cổng tin tức Thành phố Hải Phòng"
    assert "Quận Lê Chân" in data["keywords"]
    # The seed's photo has no file: the site's own picture stands in, as in og:image.
    assert data["image"] == [
        {"@type": "ImageObject", "url": meta(page, "og:image"), "width": 1200, "height": 630}
    ]


def test_article_with_a_photo_shares_its_og_rendition_caption_and_credit(
    client, make_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    article = make_article()
    ArticleImage.objects.create(
        article=article,
        image=jpeg(),
        caption="Toàn cảnh Đại hội",
        alt_text="Hội trường Đại hội",
        credit="Duy Thính",
    )
    page = page_of(client, article.get_absolute_url())
    image_url = meta(page, "og:image")
    assert image_url.startswith("http://testserver/media/articles/") and image_url.endswith(
        ".og.jpg"
    )
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "og:image:alt") == "Hội trường Đại hội (Ảnh: Duy Thính)"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == image_url
    [photo] = json_ld(page)["image"]
    assert photo == {
        "@type": "ImageObject",
        "url": image_url,
        "width": 1200,
        "height": 630,
        "caption": "Toàn cảnh Đại hội",
        "creditText": "Duy Thính",
    }


def test_og_image_alt_falls_back_to_the_caption_without_alt_text(
    client, make_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    article = make_article()
    ArticleImage.objects.create(
        article=article, image=jpeg(), caption="Toàn cảnh Đại hội", credit="Duy Thính"
    )
    page = page_of(client, article.get_absolute_url())
    assert meta(page, "og:image:alt") == "Toàn cảnh Đại hội (Ảnh: Duy Thính)"
    assert meta(page, "twitter:image:alt") == "Toàn cảnh Đại hội (Ảnh: Duy Thính)"


def test_json_ld_cannot_be_closed_by_the_article_text(client, make_article):
    article = make_article(title="</script><script>alert(1)</script> & <!--")
    page = page_of(client, article.get_absolute_url())
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_draft_preview_has_no_json_ld(editor_client, make_article):
    article = make_article(status=Article.Status.DRAFT)
    page = page_of(editor_client, article.get_absolute_url())
    assert "application/ld+json" not in page


def test_other_news_never_lists_the_article_and_puts_related_first(client, make_article):
    category = Category.objects.create(name="Kinh tế")
    article = make_article(title="Bài đang đọc", category=category)
    make_article(title="Bài mới không liên quan")
    make_article(
        title="Bài cùng chuyên mục",
        category=category,
        published_at=timezone.now() - timedelta(days=9),
    )
    page = page_of(client, article.get_absolute_url())
    others = page.split('<h2 id="tin-khac">Tin khác</h2>')[1]
    assert "Bài đang đọc" not in others
    assert others.index("Bài cùng chuyên mục") < others.index("Bài mới không liên quan")


def test_article_page_weight_is_under_budget(client, seed):
    """HTML + CSS + JS of the seed article, uncompressed, images aside."""
    page = client.get(seed.get_absolute_url()).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
    assert sorted(assets) == [b"css/site.css", b"js/site.js"]
    total = len(page) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert total < PAGE_BUDGET


# The project page


def test_project_page_shows_facts_timeline_gallery_and_articles(
    client, make_project, make_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(
        name="Khu đô thị thử",
        kind=Project.Kind.URBAN_AREA,
        status=Project.Status.UNDER_CONSTRUCTION,
        zone=Project.Zone.SOUTH,
        funding=Project.Funding.NON_BUDGET,
        investor="Công ty thử",
        area_ha=Decimal("91.95"),
        households_relocated=1500,
        start_year=2018,
        completion_year=2021,
    )
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Chậm 26 năm", order=1
    )
    ProjectImage.objects.create(
        project=project, image=jpeg(), caption="Mặt bằng", credit="Ban QLDA"
    )
    make_article(title="Bài nhắc khu đô thị").projects.add(project)
    page = page_of(client, project.get_absolute_url())
    assert "<h1>Khu đô thị thử</h1>" in page
    for fact in (
        "Khu đô thị",
        "Đang thi công",
        "Phía Nam đường Nguyễn Văn Linh",
        "Công ty thử",
        "Ngoài ngân sách",
        "91,95 ha",
        "1.500 hộ",
        "2018–2021",
    ):
        assert f"<td>{fact}</td>" in page
    assert '<ol class="timeline">' in page and "Chậm 26 năm" in page
    gallery = page.split('<section class="gallery">')[1].split("</section>")[0]
    assert "<picture>" in gallery and 'loading="lazy"' in gallery
    assert 'alt="Mặt bằng"' in gallery and "Ảnh: Ban QLDA" in gallery
    assert "Bài nhắc khu đô thị" in page
    assert "data-print hidden>In trang</button>" in page
    assert meta(page, "og:image").endswith(".og.jpg")


def test_project_page_runs_the_same_queries_whatever_its_relations(
    client, make_project, make_article, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    project = make_project()
    url = project.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        ProjectImage.objects.create(project=project, image=jpeg(f"{n}.jpg", (600, 400)))
        ProjectMilestone.objects.create(project=project, status=Project.Status.PLANNED, order=n)
        make_article(title=f"Bài {n}").projects.add(project)
    with django_assert_num_queries(len(few)):
        client.get(url)


# The home page


def test_home_shows_featured_latest_projects_by_status_and_key_figures(
    client, make_article, make_project
):
    featured = make_article(title="Tin nổi bật thử", is_featured=True)
    make_article(title="Tin thường", published_at=timezone.now() - timedelta(days=1))
    KeyFigure.objects.create(article=featured, label="Diện tích quận", value="11.9", unit="km²")
    make_project(name="Đường đã xong", status=Project.Status.COMPLETED)
    make_project(name="Dự án chậm", status=Project.Status.STALLED)
    make_project(name="Dự án chưa rõ")
    page = page_of(client, reverse("home"))
    featured_box = page.split('<section class="featured"')[1].split("</section>")[0]
    assert "Tin nổi bật thử" in featured_box
    latest = page.split('<h2 id="tin-moi">Tin mới</h2>')[1].split("</section>")[0]
    assert "Tin thường" in latest and "Tin nổi bật thử" not in latest
    assert "<strong>11,9</strong> km²" in page
    assert '<a href="/du-an/?status=completed">Đã hoàn thành</a>: <strong>1</strong>' in page
    assert '<h3 class="status-group">Chậm triển khai</h3>' in page
    assert '<h3 class="status-group">Chưa rõ tình trạng</h3>' in page
    assert page.index("Chậm triển khai</h3>") < page.index("Dự án chậm")


def test_home_with_only_the_featured_article_says_there_is_no_other(client, seed):
    page = page_of(client, reverse("home"))
    latest = page.split('<h2 id="tin-moi">Tin mới</h2>')[1].split("</section>")[0]
    assert "Chưa có tin nào khác ngoài tin nổi bật." in latest
    assert seed.title not in latest


def test_cards_show_a_photo_only_when_the_view_prefetched_it(
    client, make_article, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    for n in range(3):
        article = make_article(title=f"Bài có ảnh {n}")
        ArticleImage.objects.create(article=article, image=jpeg(f"{n}.jpg", (800, 600)))
    with django_assert_max_num_queries(8):
        page = page_of(client, reverse("home"))
    assert "Bài có ảnh 2" in page


# Canonical links and the page skeleton


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/tin-tuc/?category=x&page=1", "/tin-tuc/"),
        ("/du-an/?kind=road", "/du-an/"),
        ("/", "/"),
    ],
)
def test_list_pages_have_a_canonical_link_without_filters(client, url, canonical):
    page = page_of(client, url)
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in page


def test_a_category_list_is_its_own_canonical_page(client, seed):
    slug = seed.category.slug
    page = page_of(client, f"/tin-tuc/?category={slug}&kind=speech&page=1")
    assert f'<link rel="canonical" href="http://testserver/tin-tuc/?category={slug}">' in page


def test_every_page_links_its_stylesheet_and_skip_link_first(client, seed):
    for url in ("/", "/tin-tuc/", "/du-an/", "/tim-kiem/?q=ho+sen", seed.get_absolute_url()):
        page = page_of(client, url)
        body = page.split("<body>")[1]
        assert body.lstrip().startswith('<a class="skip-link" href="#noi-dung">')
        assert '<main id="noi-dung"' in page
        assert page.count("<h1") == 1


def test_speaker_and_tags_link_to_filtered_lists(client, make_article):
    person = Person.objects.create(name="Lê Trung Kiên", position="Bí thư Quận ủy Lê Chân")
    tag = Tag.objects.create(name="Đầu tư phát triển")
    article = make_article(speaker=person)
    article.tags.add(tag)
    page = page_of(client, article.get_absolute_url())
    assert 'href="/tin-tuc/?speaker=le-trung-kien">Lê Trung Kiên</a>' in page
    assert 'href="/tin-tuc/?tag=dau-tu-phat-trien">Đầu tư phát triển</a>' in page


def test_pages_advertise_both_feeds(client):
    page = page_of(client, reverse("home"))
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'type="application/atom+xml" title="Tin mới (Atom)" href="/tin-tuc/atom/"' in page


def test_card_shows_the_photo_the_view_prefetched(make_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = make_article()
    ArticleImage.objects.create(article=article, image=jpeg(size=(800, 600)), alt_text="Ảnh bìa")
    prefetched = Article.objects.prefetch_related("images").get(pk=article.pk)
    html = render_to_string("articles/_article_card.html", {"article": prefetched})
    assert "<picture>" in html and 'alt="Ảnh bìa"' in html and 'loading="lazy"' in html
    plain = render_to_string("articles/_article_card.html", {"article": article})
    assert "<picture>" not in plain

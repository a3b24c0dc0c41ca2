import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleImage, Category, KeyFigure, Person
from lechan.cache import content_version

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_page_shows_title_dateline_lead_and_byline(client, make_article):
    article = make_article(
        title="Đổi mới phương thức lãnh đạo",
        published_at=datetime(2020, 10, 15, 10, 51, tzinfo=HCM),
        lead="Sáng 15-10, trong ngày làm việc thứ ba.",
        reporter="Hồng Thanh (ghi)",
        photographer="Duy Thính",
        source_name="Cổng tin tức Thành phố Hải Phòng",
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Đổi mới phương thức lãnh đạo</h1>" in page
    assert "Thứ Năm, 15/10/2020 10:51" in page
    assert "Sáng 15-10, trong ngày làm việc thứ ba." in page
    assert "HỒNG THANH (GHI) – ẢNH: DUY THÍNH" in page
    assert "Gốc: Cổng tin tức Thành phố Hải Phòng" in page
    assert 'lang="vi"' in page


def test_article_source_is_linked_when_its_address_is_known(client, make_article):
    article = make_article(source_name="Báo Hải Phòng", source_url="https://example.org/bai")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/bai" rel="noopener">Báo Hải Phòng</a>' in page


def test_article_caption_sits_between_the_paragraphs_it_was_placed_between(client, make_article):
    article = make_article(body="<p>Một.</p><p>Hai.</p><p>Ba.</p>")
    ArticleImage.objects.create(
        article=article, caption="Chú thích ảnh", credit="Duy Thính", position=2
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("Hai.") < page.index("Chú thích ảnh") < page.index("Ba.")
    assert "Ảnh: Duy Thính" in page


def test_article_page_shows_key_figures_formatted_the_vietnamese_way(client, make_article):
    article = make_article()
    KeyFigure.objects.create(
        article=article, label="Tổng vốn đầu tư", value="40843", unit="tỷ đồng", period="2016–2020"
    )
    KeyFigure.objects.create(article=article, label="Diện tích", value="91.95", unit="ha")
    KeyFigure.objects.create(
        article=article,
        label="Diện tích quận",
        value="11.9",
        unit="km²",
        qualifier=KeyFigure.Qualifier.ABOUT,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>40.843</strong> tỷ đồng" in page
    assert "(2016–2020)" in page
    assert "<strong>91,95</strong> ha" in page
    assert "khoảng</span> <strong>11,9</strong> km²" in page


def test_article_body_is_sanitized_when_rendered(client, make_article):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(body="<p>Ổn</p><script>alert(1)</script>")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Ổn</p>" in page
    assert "<script>alert(1)</script>" not in page


def test_article_page_links_related_published_projects_only(client, make_article, make_project):
    article = make_article()
    shown = make_project(name="Đường Hồ Sen – Cầu Rào 2")
    hidden = make_project(name="Dự án ẩn", is_published=False)
    article.projects.add(shown, hidden)
    page = client.get(article.get_absolute_url()).content.decode()
    assert shown.get_absolute_url() in page
    assert "Dự án ẩn" not in page


def test_other_news_puts_related_articles_first_and_never_the_article_itself(client, make_article):
    person = Person.objects.create(name="Lê Trung Kiên")
    article = make_article(title="Bài chính", speaker=person)
    related = make_article(
        title="Bài cùng người phát biểu",
        speaker=person,
        published_at=timezone.now() - timedelta(days=30),
    )
    newest = make_article(title="Bài mới nhất")
    response = client.get(article.get_absolute_url())
    others = list(response.context["other_articles"])
    assert article not in others
    assert others[:2] == [related, newest]


def test_other_news_ranks_an_article_sharing_a_project_above_newer_ones(
    client, make_article, make_project
):
    road, park = make_project(name="Đường Hồ Sen – Cầu Rào 2"), make_project(name="Công viên")
    article = make_article(title="Bài chính")
    article.projects.add(road)
    same_project = make_article(
        title="Bài cùng dự án", published_at=timezone.now() - timedelta(days=60)
    )
    same_project.projects.add(road, park)
    other_project = make_article(
        title="Bài dự án khác", published_at=timezone.now() - timedelta(days=30)
    )
    other_project.projects.add(park)
    newest = make_article(title="Bài mới nhất")
    response = client.get(article.get_absolute_url())
    assert list(response.context["other_articles"]) == [same_project, newest, other_project]


@pytest.mark.parametrize("status", [s for s in Article.Status if s != Article.Status.PUBLISHED])
def test_unpublished_article_is_404_for_the_public(client, make_article, status):
    article = make_article(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_404_until_its_time(client, make_article):
    article = make_article(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article not in client.get(reverse("articles:list")).context["object_list"]


def test_staff_preview_a_draft_with_a_banner_and_no_cache(editor_client, make_article):
    article = make_article(status=Article.Status.DRAFT)
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Bản nháp" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_unknown_article_is_404(client):
    assert client.get(reverse("articles:detail", kwargs={"slug": "khong-co"})).status_code == 404


def test_article_list_shows_published_articles_newest_first(client, make_article):
    old = make_article(title="Bài cũ", published_at=timezone.now() - timedelta(days=2))
    new = make_article(title="Bài mới")
    make_article(title="Bài nháp", status=Article.Status.DRAFT)
    response = client.get(reverse("articles:list"))
    assert list(response.context["object_list"]) == [new, old]
    assert "Bài nháp" not in response.content.decode()


def test_article_list_filters_by_category_and_keeps_filters_in_pagination(client, make_article):
    category = Category.objects.create(name="Xây dựng Đảng")
    for n in range(25):
        make_article(title=f"Bài {n}", category=category)
    make_article(title="Bài khác chuyên mục")
    response = client.get(reverse("articles:list"), {"category": category.slug})
    assert response.context["paginator"].count == 25
    assert f"category={category.slug}&amp;page=2" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"kind": "khong-co"},
        {"category": "khong-co"},
        {"page": "9999"},
        {"page": "x"},
        {"q": "\x00" * 3},
        {"year": "99999999999999999999"},
    ],
)
def test_article_list_survives_bad_parameters(client, params):
    response = client.get(reverse("articles:list"), params)
    assert response.status_code in (200, 404)


def test_article_list_runs_the_same_queries_whatever_its_length(client, make_article):
    category = Category.objects.create(name="Tin tức")
    person = Person.objects.create(name="Người phát biểu")
    make_article(title="Bài 0", category=category, speaker=person)
    content_version()  # looked up once per version, not once per page
    few = count_queries(client, reverse("articles:list"))
    for n in range(1, 15):
        make_article(title=f"Bài {n}", category=category, speaker=person)
    assert count_queries(client, reverse("articles:list")) == few


def test_article_page_runs_the_same_queries_whatever_its_relations(
    client, make_article, make_project
):
    article = make_article()
    content_version()  # looked up once per version, not once per page
    few = count_queries(client, article.get_absolute_url())
    for n in range(5):
        article.projects.add(make_project(name=f"Dự án {n}"))
        KeyFigure.objects.create(article=article, label=f"Số {n}", value=n)
        ArticleImage.objects.create(article=article, caption=f"Ảnh {n}", position=n)
        make_article(title=f"Bài khác {n}")
    assert count_queries(client, article.get_absolute_url()) == few


def test_feed_lists_published_articles(client, make_article):
    make_article(title="Bài trong RSS")
    make_article(title="Bài nháp", status=Article.Status.DRAFT)
    response = client.get(reverse("articles:feed"))
    assert response.status_code == 200
    assert "Bài trong RSS" in response.content.decode()
    assert "Bài nháp" not in response.content.decode()


def test_article_times_are_written_to_the_second_with_their_offset(client, make_article):
    """HTML's datetime attribute takes at most three digits of a second."""
    article = make_article(published_at=datetime(2020, 10, 15, 10, 51, 7, 924113, tzinfo=HCM))
    for url in (article.get_absolute_url(), reverse("articles:list")):
        page = client.get(url).content.decode()
        assert '<time datetime="2020-10-15T10:51:07+07:00">' in page
        assert ".924113" not in "".join(re.findall(r'<time datetime="[^"]*"', page))


@pytest.mark.parametrize("extra", [{}, {"q": "dai hoi"}, {"date_after": "1970-01-01"}])
def test_a_year_beyond_the_thirty_listed_is_counted_as_the_list_holds_it(
    client, make_article, extra
):
    make_article(title="Đại hội năm 1980", published_at=datetime(1980, 6, 1, tzinfo=HCM))
    make_article(title="Đại hội năm 2020", published_at=datetime(2020, 6, 1, tzinfo=HCM))
    response = client.get(reverse("articles:list"), {"year": 1980, **extra})
    assert response.context["paginator"].count == 1
    assert [article.title for article, _ in response.context["results"]] == ["Đại hội năm 1980"]

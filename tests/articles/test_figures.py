import csv
import io
import json

import pytest
from django.urls import reverse

from articles.models import Article, KeyFigure

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

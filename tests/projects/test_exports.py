import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Project, Ward
from projects.views import EXPORT_COLUMNS, ProjectListView

pytestmark = pytest.mark.django_db
BILLION = 1_000_000_000
ROADS = 35  # more than one page of the list
JSON_FIELDS = [
    "name",
    "slug",
    "kind",
    "kind_label",
    "status",
    "status_label",
    "zone",
    "zone_label",
    "ward",
    "investor",
    "funding",
    "funding_label",
    "investment_vnd",
    "area_ha",
    "households_relocated",
    "start_year",
    "completion_year",
    "summary",
    "updated_at",
]


def get(client, **params):
    return client.get(reverse("projects:list"), params)


def csv_rows(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def csv_names(response):
    header, *rows = csv_rows(response)
    return [row[header.index("Tên dự án")] for row in rows]


def json_body(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def listed_names(client, **params):
    """Every name the HTML list shows for `params`, page after page."""
    names, page = [], 1
    while True:
        response = get(client, page=page, **params)
        assert response.status_code == 200
        names += [project.name for project in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return names, response.context["paginator"].count
        page += 1


@pytest.fixture
def roads(make_project):
    """35 published roads (more than a page), three other projects, one hidden road."""
    ward = Ward.objects.create(name="Vĩnh Niệm")
    for n in range(ROADS):
        make_project(
            name=f"{'Đường' if n % 2 else 'Dương'} {n:02d}",
            kind=Project.Kind.ROAD,
            ward=ward if n % 3 else None,
            area_ha=Decimal(n) / 4,
            investment_vnd=Decimal(n * 10 * BILLION),
            start_year=2000 + n,
        )
    make_project(name="Khách sạn Sao Biển", kind=Project.Kind.HOTEL, area_ha=Decimal(3))
    make_project(name="Chung cư Đông Hải", kind=Project.Kind.APARTMENTS, area_ha=Decimal(7))
    make_project(name="Trung tâm thương mại", kind=Project.Kind.COMMERCIAL)
    make_project(name="Đường bị ẩn", kind=Project.Kind.ROAD, is_published=False)


def test_csv_is_utf8_with_a_bom_and_vietnamese_headers(client, roads):
    response = get(client, format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="du-an-le-chan.csv"'
    header = csv_rows(response)[0]
    assert header == [column.header for column in EXPORT_COLUMNS]
    assert header[:3] == ["Tên dự án", "Đường dẫn", "Loại"]
    assert {"Tổng mức đầu tư (đồng)", "Diện tích (ha)", "Số hộ phải di dời"} <= set(header)


def test_csv_has_every_filtered_row_not_just_one_page(client, roads):
    assert ProjectListView.paginate_by < ROADS
    names, count = listed_names(client, kind="road")
    assert count == ROADS
    assert csv_names(get(client, kind="road", format="csv")) == names


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "road", "area_min": "2", "area_max": "6"},
        {"investment_min": "100", "investment_max": "250"},
        {"start_year_max": "2010"},
        {"ward": "vinh-niem", "sort": "-area"},
        {"q": "duong"},
        {"kind": "hotel"},
        {"kind": "hotel", "area_min": "5"},
    ],
)
def test_csv_and_json_export_exactly_the_rows_the_list_shows(client, roads, params):
    names, count = listed_names(client, **params)
    assert csv_names(get(client, format="csv", **params)) == names
    body = json_body(get(client, format="json", **params))
    assert body["count"] == count == len(names)
    assert [row["name"] for row in body["results"]] == names


def test_json_has_stable_field_names_and_numbers_as_numbers(client, make_project):
    ward = Ward.objects.create(name="Vĩnh Niệm")
    make_project(
        name="Hồ Sen – Cầu Rào 2",
        kind=Project.Kind.ROAD,
        status=Project.Status.COMPLETED,
        zone=Project.Zone.SOUTH,
        ward=ward,
        funding=Project.Funding.STATE_BUDGET,
        investor="Ban Quản lý dự án quận Lê Chân",
        investment_vnd=Decimal(1_500 * BILLION),
        area_ha=Decimal("12.50"),
        households_relocated=900,
        start_year=2016,
        completion_year=2020,
        summary="Tuyến đường nối Hồ Sen với Cầu Rào 2.",
    )
    make_project(name="Chưa rõ số liệu", kind="", area_ha=Decimal("3.00"))
    body = json_body(get(client, format="json"))
    assert body["count"] == 2
    unknown, known = body["results"]  # in Vietnamese order: C before H
    assert list(known) == JSON_FIELDS
    assert {key: known[key] for key in JSON_FIELDS[:-1]} == {
        "name": "Hồ Sen – Cầu Rào 2",
        "slug": "ho-sen-cau-rao-2",
        "kind": "road",
        "kind_label": "Đường giao thông",
        "status": "completed",
        "status_label": "Đã hoàn thành",
        "zone": "south",
        "zone_label": "Phía Nam đường Nguyễn Văn Linh",
        "ward": "Vĩnh Niệm",
        "investor": "Ban Quản lý dự án quận Lê Chân",
        "funding": "state_budget",
        "funding_label": "Ngân sách nhà nước",
        "investment_vnd": 1_500_000_000_000,
        "area_ha": 12.5,
        "households_relocated": 900,
        "start_year": 2016,
        "completion_year": 2020,
        "summary": "Tuyến đường nối Hồ Sen với Cầu Rào 2.",
    }
    assert isinstance(known["investment_vnd"], int)
    updated = timezone.localtime(Project.objects.get(slug="ho-sen-cau-rao-2").updated_at)
    assert known["updated_at"] == updated.strftime("%Y-%m-%dT%H:%M:%S+07:00")
    assert unknown["area_ha"] == 3
    assert unknown["investment_vnd"] is None
    assert unknown["start_year"] is None
    assert unknown["ward"] == ""


def test_csv_writes_figures_plainly_and_unknowns_as_empty_cells(client, make_project):
    make_project(
        name="Hồ Sen – Cầu Rào 2",
        investment_vnd=Decimal(1_500 * BILLION),
        area_ha=Decimal("12.50"),
        households_relocated=900,
    )
    header, row = csv_rows(get(client, format="csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Tên dự án"] == "Hồ Sen – Cầu Rào 2"
    assert cells["Tổng mức đầu tư (đồng)"] == "1500000000000"
    assert cells["Diện tích (ha)"] == "12.5"
    assert cells["Số hộ phải di dời"] == "900"
    assert cells["Năm khởi công"] == ""
    assert cells["Phường"] == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_every_text_cell_a_spreadsheet_would_read_as_a_formula(
    client, make_project, start
):
    make_project(
        name=f"{start}cmd|' /C calc'!A0",
        investor=f"{start}SUM(1+1)",
        summary=f"{start}2+3",
        area_ha=Decimal("-2.5"),
    )
    header, row = csv_rows(get(client, format="csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Tên dự án"] == f"'{start}cmd|' /C calc'!A0"
    assert cells["Chủ đầu tư"] == f"'{start}SUM(1+1)"
    assert cells["Tóm tắt"] == f"'{start}2+3"
    assert cells["Diện tích (ha)"] == "-2.5"  # a number stays a number, negative or not
    assert json_body(get(client, format="json"))["results"][0]["name"].startswith(start)


def test_csv_leaves_ordinary_text_as_it_is(client, make_project):
    make_project(name="Đường 'Hồ Sen' = 2 km, +1 làn", investor="Công ty A@B")
    header, row = csv_rows(get(client, format="csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Tên dự án"] == "Đường 'Hồ Sen' = 2 km, +1 làn"
    assert cells["Chủ đầu tư"] == "Công ty A@B"


def test_csv_shows_every_coded_column_as_its_vietnamese_label(client, make_project):
    make_project(
        kind=Project.Kind.ROAD,
        status=Project.Status.UNDER_CONSTRUCTION,
        zone=Project.Zone.NORTH,
        funding=Project.Funding.STATE_BUDGET,
    )
    header, row = csv_rows(get(client, format="csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Loại"] == "Đường giao thông"
    assert cells["Tình trạng"] == "Đang thi công"
    assert cells["Khu vực"] == "Phía Bắc đường Nguyễn Văn Linh"
    assert cells["Nguồn vốn"] == "Ngân sách nhà nước"
    assert not {"road", "under_construction", "north", "state_budget"} & set(row)


def test_exports_give_local_times_with_their_offset_to_the_second(client, make_project):
    project = make_project()
    moment = datetime(2020, 10, 15, 17, 30, 5, 123456, tzinfo=ZoneInfo("UTC"))
    Project.objects.filter(pk=project.pk).update(updated_at=moment)
    header, row = csv_rows(get(client, format="csv"))
    assert dict(zip(header, row, strict=True))["Cập nhật"] == "2020-10-16T00:30:05+07:00"
    [result] = json_body(get(client, format="json"))["results"]
    assert result["updated_at"] == "2020-10-16T00:30:05+07:00"


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(
    "params",
    [{"area_min": "abc"}, {"kind": "lau-dai"}, {"start_year_min": "x"}, {"ward": "khong-co"}],
)
def test_invalid_filter_in_an_export_is_400_with_a_vietnamese_message(client, roads, fmt, params):
    response = get(client, format=fmt, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Bộ lọc không hợp lệ: ")


def test_invalid_filter_message_names_the_field_and_the_error(client, roads):
    response = get(client, format="csv", area_min="abc")
    assert response.content.decode() == "Bộ lọc không hợp lệ: area: Nhập một số."


@pytest.mark.parametrize("page", ["2", "abc", "99999"])
def test_export_ignores_the_page_parameter(client, roads, page):
    assert len(csv_names(get(client, kind="road", format="csv", page=page))) == ROADS
    assert json_body(get(client, kind="road", format="json", page=page))["count"] == ROADS


def test_hidden_projects_are_never_exported(client, roads):
    exported = csv_names(get(client, format="csv", q="duong"))
    assert len(exported) == ROADS
    assert "Đường bị ẩn" not in exported
    names = [row["name"] for row in json_body(get(client, format="json"))["results"]]
    assert "Đường bị ẩn" not in names
    assert len(names) == ROADS + 3


def test_an_unknown_format_shows_the_html_list(client, roads):
    response = get(client, format="xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_list_links_to_exports_of_the_same_filters_without_the_page(client, roads):
    page = get(client, kind="road", page="2").content.decode()
    assert 'href="?kind=road&amp;format=csv"' in page
    assert 'href="?kind=road&amp;format=json"' in page


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_runs_the_same_queries_for_3_and_40_rows(client, make_project, fmt):
    ward = Ward.objects.create(name="Vĩnh Niệm")

    def add(n):
        for i in range(n):
            make_project(name=f"Đường {i}", kind=Project.Kind.ROAD, ward=ward)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = get(client, kind="road", format=fmt)
            rows = csv_names(response) if fmt == "csv" else json_body(response)["results"]
        return len(rows), len(queries)

    add(3)
    few, few_queries = count()
    add(37)
    many, many_queries = count()
    assert (few, many) == (3, 40)
    assert many_queries == few_queries

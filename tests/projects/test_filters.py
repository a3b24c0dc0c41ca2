import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lechan.collation import sort_key
from projects.filters import ProjectFilter
from projects.models import Project, Ward

pytestmark = pytest.mark.django_db
BILLION = 1_000_000_000
SQLITE = connection.vendor == "sqlite"


def listing(client, **params):
    response = client.get(reverse("projects:list"), params)
    assert response.status_code == 200
    return response


def names(response):
    return [project.name for project in response.context["object_list"]]


def options(response, name):
    """The visible texts of the options of the select named `name`."""
    page = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {name}"
    return [unescape(text) for text in re.findall(r"<option[^>]*>(.*?)</option>", select[1])]


@pytest.fixture
def register(make_project):
    """Four projects that differ in every filtered field, and one with nothing known."""
    vinh_niem = Ward.objects.create(name="Vĩnh Niệm")
    du_hang_kenh = Ward.objects.create(name="Dư Hàng Kênh")
    make_project(
        name="Đường Hồ Sen – Cầu Rào 2",
        kind=Project.Kind.ROAD,
        status=Project.Status.COMPLETED,
        zone=Project.Zone.SOUTH,
        ward=vinh_niem,
        funding=Project.Funding.STATE_BUDGET,
        investor="Ban Quản lý dự án đầu tư xây dựng quận Lê Chân",
        investment_vnd=Decimal(1_500 * BILLION),
        area_ha=Decimal("12.50"),
        households_relocated=900,
        start_year=2016,
        completion_year=2020,
    )
    make_project(
        name="Khu đô thị Vinhomes Imperia",
        kind=Project.Kind.URBAN_AREA,
        status=Project.Status.UNDER_CONSTRUCTION,
        zone=Project.Zone.SOUTH,
        ward=vinh_niem,
        funding=Project.Funding.NON_BUDGET,
        investor="Công ty CP Đầu tư Vinhomes",
        investment_vnd=Decimal(100 * BILLION),
        area_ha=Decimal("40"),
        households_relocated=120,
        start_year=2018,
        completion_year=2022,
    )
    make_project(
        name="Cải tạo ngõ 155 Dư Hàng",
        kind=Project.Kind.ALLEY_UPGRADE,
        status=Project.Status.PLANNED,
        zone=Project.Zone.NORTH,
        ward=du_hang_kenh,
        funding=Project.Funding.MIXED,
        investor="UBND phường Dư Hàng Kênh",
        investment_vnd=Decimal(500_000_000),
        area_ha=Decimal("0.30"),
        households_relocated=0,
        start_year=2021,
        completion_year=2021,
    )
    make_project(
        name="Trung tâm thương mại Aeon Mall",
        kind=Project.Kind.COMMERCIAL,
        status=Project.Status.STALLED,
        zone=Project.Zone.NORTH,
        funding=Project.Funding.NON_BUDGET,
        investor="Công ty TNHH Aeon Mall Hải Phòng",
        investment_vnd=Decimal(99_999_999_999),
        area_ha=Decimal("9.60"),
        households_relocated=30,
        start_year=2019,
    )
    make_project(name="Nhà văn hóa chưa rõ số liệu", kind="")


ROAD = "Đường Hồ Sen – Cầu Rào 2"
URBAN = "Khu đô thị Vinhomes Imperia"
ALLEY = "Cải tạo ngõ 155 Dư Hàng"
MALL = "Trung tâm thương mại Aeon Mall"
UNKNOWN = "Nhà văn hóa chưa rõ số liệu"


# Each filter parameter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "road"}, {ROAD}),
        ({"kind": "alley_upgrade"}, {ALLEY}),
        ({"status": "completed"}, {ROAD}),
        ({"status": "stalled"}, {MALL}),
        ({"zone": "south"}, {ROAD, URBAN}),
        ({"zone": "north"}, {ALLEY, MALL}),
        ({"ward": "vinh-niem"}, {ROAD, URBAN}),
        ({"ward": "du-hang-kenh"}, {ALLEY}),
        ({"funding": "non_budget"}, {URBAN, MALL}),
        ({"funding": "state_budget"}, {ROAD}),
        ({"zone": "south", "funding": "non_budget"}, {URBAN}),
    ],
)
def test_choice_filters_keep_only_matching_projects(client, register, params, expected):
    response = listing(client, **params)
    assert set(names(response)) == expected
    assert response.context["paginator"].count == len(expected)


@pytest.mark.parametrize(
    ("investor", "expected"),
    [
        ("Aeon", {MALL}),
        ("aeon mall", {MALL}),
        ("Công ty", {URBAN, MALL}),
        ("ubnd", {ALLEY}),
        ("quận Lê Chân", {ROAD}),
    ],
)
def test_investor_filter_matches_a_part_of_the_name(client, register, investor, expected):
    assert set(names(listing(client, investor=investor))) == expected


def test_investor_filter_ignores_the_case_of_vietnamese_capitals(client, register):
    assert set(names(listing(client, investor="đầu tư"))) == {ROAD, URBAN}
    assert set(names(listing(client, investor="ĐẦU TƯ"))) == {ROAD, URBAN}
    assert set(names(listing(client, investor="dau tu"))) == {ROAD, URBAN}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area_min": "10"}, {ROAD, URBAN}),
        ({"area_max": "9.6"}, {ALLEY, MALL}),
        ({"area_min": "9.6", "area_max": "12.5"}, {ROAD, MALL}),
        ({"area_min": "0.3", "area_max": "0.3"}, {ALLEY}),
        ({"households_min": "120"}, {ROAD, URBAN}),
        ({"households_max": "0"}, {ALLEY}),
        ({"households_min": "30", "households_max": "120"}, {URBAN, MALL}),
        ({"start_year_min": "2019"}, {ALLEY, MALL}),
        ({"start_year_max": "2018"}, {ROAD, URBAN}),
        ({"start_year_min": "2018", "start_year_max": "2019"}, {URBAN, MALL}),
        ({"completion_year_min": "2021"}, {URBAN, ALLEY}),
        ({"completion_year_max": "2020"}, {ROAD}),
        ({"completion_year_min": "2020", "completion_year_max": "2021"}, {ROAD, ALLEY}),
    ],
)
def test_range_filters_include_their_bounds_and_leave_out_unknown_values(
    client, register, params, expected
):
    assert set(names(listing(client, **params))) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # 100 tỷ đồng is 100,000,000,000 đồng: Vinhomes is exactly that, Aeon one đồng short.
        ({"investment_min": "100"}, {ROAD, URBAN}),
        ({"investment_max": "100"}, {URBAN, ALLEY, MALL}),
        ({"investment_min": "100", "investment_max": "100"}, {URBAN}),
        ({"investment_min": "0.5", "investment_max": "99.999999999"}, {ALLEY, MALL}),
        ({"investment_max": "0.4"}, set()),
        ({"investment_min": "1500"}, {ROAD}),
    ],
)
def test_investment_range_is_given_in_billions_of_dong(client, register, params, expected):
    assert set(names(listing(client, **params))) == expected


def test_filters_combine_with_the_search_query(client, register):
    assert names(listing(client, q="duong")) == [ROAD]
    assert names(listing(client, q="ho sen cau rao")) == [ROAD]
    assert names(listing(client, q="du hang", zone="north")) == [ALLEY]
    assert names(listing(client, q="du hang", zone="south")) == []


# Ordering ------------------------------------------------------------------------------------

# Letters in the Vietnamese alphabet, a tone mark sorting with its base letter.
ALPHABETICAL = ["Ánh", "Âu", "Bình", "Dương", "Đông", "Ê", "Ơn", "Ư", "Zeta"]


def test_default_order_is_the_vietnamese_alphabet(client, make_project):
    for name in reversed(ALPHABETICAL):
        make_project(name=name)
    response = listing(client)
    assert names(response) == ALPHABETICAL
    assert names(response) == sorted(ALPHABETICAL, key=sort_key)
    assert names(listing(client, sort="name")) == ALPHABETICAL
    assert names(listing(client, sort="-name")) == ALPHABETICAL[::-1]


@pytest.mark.parametrize(
    "expected",
    [
        ["Dương", "Đông"],  # d before đ, though "Đ" comes after "Z" in Unicode
        ["Ánh", "Âu"],  # á is a with a tone: a before â
        ["Ăn", "Ân"],  # a ă â
        ["Ôn", "Ơn"],  # o ô ơ
        ["Ung", "Ưng"],  # u before ư
        ["Ba", "Bà", "Bả", "Bã", "Bá", "Bạ"],  # tones: ngang, huyền, hỏi, ngã, sắc, nặng
        ["Bạn", "Băn"],  # the letter decides before the tone
        ["Lê Chân", "Lê Lợi"],
        ["Yên", "Zeta"],
    ],
)
def test_vietnamese_order_by_hand(client, make_project, expected):
    for name in reversed(expected):
        make_project(name=name)
    assert names(listing(client)) == expected


@pytest.mark.parametrize(
    "expected",
    [
        ["Hồ Sen", "Hồng Bàng"],
        ["Dự án 2", "Dương Kinh"],
        ["An Đà", "Anh Dũng"],
    ],
)
def test_a_shorter_word_sorts_before_a_longer_word_it_begins(client, make_project, expected):
    for name in reversed(expected):
        make_project(name=name)
    assert names(listing(client)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-area", [URBAN, ROAD, MALL, ALLEY, UNKNOWN]),
        ("area", [ALLEY, MALL, ROAD, URBAN, UNKNOWN]),
        ("-investment", [ROAD, URBAN, MALL, ALLEY, UNKNOWN]),
        ("investment", [ALLEY, MALL, URBAN, ROAD, UNKNOWN]),
        ("-year", [ALLEY, MALL, URBAN, ROAD, UNKNOWN]),
        ("year", [ROAD, URBAN, MALL, ALLEY, UNKNOWN]),
    ],
)
def test_sorting_by_a_figure_puts_unknown_values_last_either_way(client, register, sort, expected):
    assert names(listing(client, sort=sort)) == expected


def test_equal_figures_are_ordered_by_name(client, make_project):
    for name in ("Đông", "Bình", "Dương"):
        make_project(name=name, area_ha=Decimal("5"))
    make_project(name="Ánh", area_ha=Decimal("1"))
    assert names(listing(client, sort="-area")) == ["Bình", "Dương", "Đông", "Ánh"]


def test_q_orders_by_relevance_unless_a_sort_is_chosen(client, make_project):
    make_project(name="Cải tạo chợ", summary="Mở rộng đường vào chợ Đôn.")
    make_project(name="Đường Lạch Tray", area_ha=Decimal("1"))
    make_project(name="Trường học")
    assert names(listing(client, q="duong")) == ["Đường Lạch Tray", "Cải tạo chợ"]
    assert names(listing(client, q="duong", sort="name")) == ["Cải tạo chợ", "Đường Lạch Tray"]
    assert names(listing(client, q="duong", sort="-area")) == ["Đường Lạch Tray", "Cải tạo chợ"]


def test_relevance_pages_break_ties_in_vietnamese_name_order(client, make_project):
    names_ = ["Cầu", "Dương", "Bình", "Ăn", "Đông", "Ánh", "Chợ", "Đường", "Dân", "Âu"]
    for n in range(50):
        make_project(  # the word in the name or in the summary, in Vietnamese name order
            name=f"{names_[n % 10]} {'duong' if n % 2 else 'khác'} {n // 10}",
            summary="Nối đường vào chợ." if n % 4 == 0 else "",
        )
    ranked = ProjectFilter({"q": "duong"}, queryset=Project.objects.published()).qs
    first = listing(client, q="duong")
    shown = names(first) + names(listing(client, q="duong", page=2))
    assert first.context["paginator"].num_pages == 2
    assert shown == [project.name for project in ranked]
    assert shown[:6] == [f"Ánh duong {n}" for n in range(5)] + ["Ăn duong 0"]


# Facet counts --------------------------------------------------------------------------------


def test_kind_and_status_selects_show_counts(client, register, make_project):
    make_project(name="Đường ẩn", kind=Project.Kind.ROAD, is_published=False)
    response = listing(client)
    kinds, statuses = options(response, "kind"), options(response, "status")
    assert {"Đường giao thông (1)", "Khu đô thị (1)", "Khách sạn (0)"} <= set(kinds)
    assert {"Đã hoàn thành (1)", "Chậm triển khai (1)", "Chuẩn bị đầu tư (1)"} <= set(statuses)
    assert {"Ngoài ngân sách (2)", "Hỗn hợp (1)"} <= set(options(response, "funding"))
    assert {"Vĩnh Niệm (2)", "Dư Hàng Kênh (1)"} <= set(options(response, "ward"))


def test_a_facet_is_counted_under_the_other_filters_but_not_its_own(client, register):
    response = listing(client, kind="road", zone="south")
    assert names(response) == [ROAD]
    # Other kinds stay on offer, counted within the south zone.
    assert {"Đường giao thông (1)", "Khu đô thị (1)", "Trung tâm thương mại (0)"} <= set(
        options(response, "kind")
    )
    # Statuses are counted among southern roads only.
    assert {"Đã hoàn thành (1)", "Đang thi công (0)"} <= set(options(response, "status"))
    assert {"Phía Nam đường Nguyễn Văn Linh (1)", "Phía Bắc đường Nguyễn Văn Linh (0)"} <= set(
        options(response, "zone")
    )


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area_min": "abc"}, "Nhập một số."),
        ({"investment_max": "nhiều"}, "Nhập một số."),
        ({"kind": "lau-dai"}, "lau-dai không phải là một trong các lựa chọn khả thi."),
        ({"start_year_min": "x"}, "Nhập một số."),
        ({"ward": "khong-co"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"sort": "gia"}, "gia không phải là một trong các lựa chọn khả thi."),
    ],
)
def test_invalid_filter_values_show_the_form_error_on_a_normal_page(
    client, register, params, message
):
    response = listing(client, **params)
    page = unescape(response.content.decode())
    assert "Một số giá trị lọc không hợp lệ" in page
    assert message in page
    assert names(response) == []
    assert "0 dự án" in page
    # No export links for a list that is not filtered as asked.
    assert "format=csv" not in page


def test_hidden_projects_never_appear_whatever_the_filters(client, make_project):
    ward = Ward.objects.create(name="Vĩnh Niệm")
    fields = {"kind": Project.Kind.ROAD, "ward": ward, "area_ha": Decimal("5")}
    make_project(name="Đường công khai", **fields)
    make_project(name="Đường bị ẩn", is_published=False, **fields)
    for params in ({}, {"q": "duong"}, {"kind": "road"}, {"ward": ward.slug}, {"area_min": "1"}):
        response = listing(client, **params)
        assert names(response) == ["Đường công khai"], params
        assert "Đường bị ẩn" not in response.content.decode()
        assert "Đường giao thông (1)" in options(response, "kind")


def test_filtered_list_runs_the_same_queries_for_3_and_15_matches(client, make_project):
    wards = [Ward.objects.create(name="Vĩnh Niệm"), Ward.objects.create(name="Dư Hàng Kênh")]
    make_project(name="Khách sạn", kind=Project.Kind.HOTEL)
    params = {"q": "duong", "kind": "road", "area_min": "1", "investment_min": "1"}

    def add(n):
        for i in range(n):
            make_project(
                name=f"Đường số {i}",
                kind=Project.Kind.ROAD,
                ward=wards[i % 2],
                area_ha=Decimal("2"),
                investment_vnd=Decimal(2 * BILLION),
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = listing(client, **params)
        return response.context["paginator"].count, len(queries)

    add(3)
    few, few_queries = count()
    add(12)
    many, many_queries = count()
    assert (few, many) == (3, 15)
    assert many_queries == few_queries

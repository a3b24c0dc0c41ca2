"""What a reader types into a list's filters stays within what the columns can hold."""

import datetime
from decimal import Decimal
from html import unescape

import django_filters
import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from articles.filters import ArticleFilter, KeyFigureFilter
from articles.models import Article, Event, KeyFigure
from lechan.lists.filters import ListFilterSet, Within, column_bounds
from projects.filters import ProjectFilter
from projects.models import Project

pytestmark = pytest.mark.django_db

LISTS = {"articles:list": ArticleFilter, "projects:list": ProjectFilter, "figures": KeyFigureFilter}
BEYOND = ["1e30", "-1e30", "1e999999", "1e-999999", "9" * 5000]


def inputs():
    """(list, input name, kind) of every number and date input of every list's filters."""
    for url, filterset_class in LISTS.items():
        form = filterset_class(queryset=filterset_class._meta.model.objects.none()).form
        for name, field in form.fields.items():
            parts = getattr(field, "fields", [field])
            kinds = ["date" if isinstance(p, forms.DateField) else "number" for p in parts]
            if isinstance(parts[0], forms.DecimalField | forms.DateField):
                suffixes = [f"_{s}" for s in getattr(field.widget, "suffixes", [])] or [""]
                for suffix, kind in zip(suffixes, kinds, strict=True):
                    yield url, name + suffix, kind


INPUTS = list(inputs())


def errors(response):
    assert response.status_code == 200
    return response.context["filter"].form.errors


def test_every_number_and_date_input_is_found():
    assert {name for _, name, _ in INPUTS} == {
        "year", "date_after", "date_before", "area_min", "area_max", "investment_min",
        "investment_max", "households_min", "households_max", "start_year_min",
        "start_year_max", "completion_year_min", "completion_year_max",
    }  # fmt: skip


@pytest.mark.parametrize(("url", "name", "kind"), INPUTS)
def test_a_value_beyond_its_column_is_a_form_error_on_the_normal_page(
    client, make_article, make_project, url, name, kind
):
    make_article(title="Bài đã đăng")
    make_project(name="Dự án công khai", start_year=2020, households_relocated=5)
    values = ["0001-01-01", "9999-12-31"] if kind == "date" else BEYOND
    for value in values:
        response = client.get(reverse(url), {name: value})
        page = unescape(response.content.decode())
        assert errors(response), (name, value)
        assert "Một số giá trị lọc không hợp lệ" in page
        assert "Nhập một" in page
        assert not response.context["object_list"]


@pytest.mark.parametrize(("url", "name", "kind"), INPUTS)
def test_the_bounds_themselves_are_taken_and_asked_of_the_database(
    client, make_article, make_project, url, name, kind
):
    make_article(title="Bài đã đăng")
    make_project(name="Dự án công khai", start_year=2020, households_relocated=5)
    form = LISTS[url](queryset=LISTS[url]._meta.model.objects.none()).form
    field_name, _, end = name.rpartition("_")
    field = form.fields.get(name) or form.fields[field_name].fields[end in ("max", "before")]
    (within,) = [v for v in field.validators if isinstance(v, Within)]
    for bound in (within.lowest, within.highest):
        value = bound.isoformat() if kind == "date" else str(bound)
        response = client.get(reverse(url), {name: value})
        assert not errors(response), (name, value)
        assert client.get(reverse(url), {name: value, "format": "csv"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "start_year_min=2020&start_year_max=1e30",
        "households_min=1e25&households_max=5",
        "completion_year_min=1e20&completion_year_max=2030",
    ],
)
def test_the_reported_project_filters_are_refused_not_a_500(client, make_project, query):
    make_project(name="Dự án công khai", start_year=2020, completion_year=2025)
    response = client.get(f"{reverse('projects:list')}?{query}")
    page = unescape(response.content.decode())
    assert errors(response)
    assert "Nhập một số từ 0 đến" in page
    assert client.get(f"{reverse('projects:list')}?{query}&format=csv").status_code == 400


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_year_max": "1e30"}, "Nhập một số từ 0 đến 32.767."),
        ({"households_min": "-1"}, "Nhập một số từ 0 đến 2.147.483.647."),
        ({"area_min": "1e10"}, "Nhập một số từ -99.999.999,99 đến 99.999.999,99."),
        ({"area_min": "0.305"}, "Nhập một số có tối đa 2 chữ số thập phân."),
        ({"start_year_min": "2019.5"}, "Nhập một số nguyên."),
        ({"investment_min": "1e-10"}, "Nhập một số có tối đa 9 chữ số thập phân."),
        ({"investment_max": "1e11"}, "đến 99.999.999.999,999999999."),
    ],
)
def test_the_message_says_what_the_column_holds_in_vietnamese(client, params, message):
    page = unescape(client.get(reverse("projects:list"), params).content.decode())
    assert message in page


def test_a_whole_number_written_with_decimals_is_still_whole(client, make_project):
    make_project(name="Dự án công khai", start_year=2020)
    response = client.get(reverse("projects:list"), {"start_year_min": "2020.00"})
    assert not errors(response)
    assert [p.name for p in response.context["object_list"]] == ["Dự án công khai"]


def test_dates_are_refused_with_vietnamese_dates(client):
    response = client.get(reverse("articles:list"), {"date_after": "0001-01-01"})
    assert "Nhập một ngày từ 02/01/0001 đến 30/12/9999." in unescape(response.content.decode())


# Bounds read from the columns ---------------------------------------------------------------


def test_integer_columns_hold_what_their_type_holds_on_every_database():
    field = Project._meta.get_field
    assert column_bounds(field("start_year")) == (0, 32767, 0)
    assert column_bounds(field("households_relocated")) == (0, 2**31 - 1, 0)


def test_decimal_columns_hold_what_their_digits_write():
    highest = Decimal("99999999.99")
    assert column_bounds(Project._meta.get_field("area_ha")) == (-highest, highest, 2)
    highest = Decimal("9999999999999999.9999")
    assert column_bounds(KeyFigure._meta.get_field("value")) == (-highest, highest, 4)


def test_dates_keep_a_day_from_the_ends_of_the_calendar_for_time_zones():
    published_at = Article._meta.get_field("published_at")
    first, last = datetime.date(1, 1, 2), datetime.date(9999, 12, 30)
    assert column_bounds(published_at) == (first, last, None)
    assert column_bounds(published_at, ["year"]) == (2, 9998, 0)
    with pytest.raises(ImproperlyConfigured):
        column_bounds(published_at, ["week_day"])


def test_a_date_column_holds_the_whole_calendar():
    assert column_bounds(Event._meta.get_field("start_date")) == (
        datetime.date.min,
        datetime.date.max,
        None,
    )


class Moments(ListFilterSet):
    since = django_filters.DateTimeFilter(field_name="published_at", lookup_expr="gte")

    class Meta:
        model = Article
        fields = []


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2020-10-15 10:51", True), ("0001-01-02 00:00", True), ("0001-01-01 23:59", False)],
)
def test_a_moment_is_bounded_by_its_days_first_and_last_moments(make_article, value, valid):
    article = make_article(
        published_at=datetime.datetime(2020, 10, 15, 3, 51, tzinfo=datetime.timezone.utc)
    )
    filterset = Moments({"since": value}, queryset=Article.objects.published())
    assert filterset.is_valid() is valid
    if valid:  # asked of the database without an error
        assert list(filterset.qs) == [article]


def test_a_number_filter_without_a_column_is_refused_when_built():
    class Unbounded(ListFilterSet):
        score = django_filters.NumberFilter(method="filter_score")

        class Meta:
            model = Project
            fields = []

    with pytest.raises(ImproperlyConfigured):
        Unbounded({"score": "1"}, queryset=Project.objects.all()).form  # noqa: B018

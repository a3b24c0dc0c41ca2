"""The filter forms' widgets written in Python give Django's own markup, with one empty choice."""

import re

import django_filters
import pytest
from django import forms
from django.urls import reverse

from articles.models import Category, KeyFigure, Tag
from lechan.cache import content_version
from lechan.lists.widgets import DateRangeWidget, RangeWidget, Select, typed_value
from projects.models import Ward


def tidy(html):
    """Whitespace as the browser reads it: runs are one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize(
    "choices, value",
    [
        ([("", "Tất cả"), ("road", "Đường <giao> thông"), ("hotel", "Khách sạn")], "road"),
        ([("", "Tất cả"), ("a&b", 'Tên "lạ"')], None),
        ([("Nhóm", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")], "2"),
    ],
)
def test_select_gives_djangos_markup(choices, value):
    attrs = {"id": "id_kind", "aria-describedby": "help"}
    ours = Select(choices=choices).render("kind", value, attrs)
    assert tidy(ours) == tidy(forms.Select(choices=choices).render("kind", value, attrs))


@pytest.mark.parametrize(
    "ours, theirs, value",
    [
        (RangeWidget, django_filters.widgets.RangeWidget, ["3", None]),
        (RangeWidget, django_filters.widgets.RangeWidget, [None, '5"']),
        (DateRangeWidget, django_filters.widgets.DateRangeWidget, ["2020-10-15", ""]),
    ],
)
def test_range_inputs_give_djangos_markup(ours, theirs, value):
    widget = ours()
    reference = theirs(attrs=widget.attrs)
    for mine, other in zip(widget.widgets, reference.widgets, strict=True):
        other.attrs, other.input_type = mine.attrs, mine.input_type
    html = widget.render("area", value, {"id": "id_area"})
    assert tidy(html) == tidy(reference.render("area", value, {"id": "id_area"}))


# "Tất cả" once ------------------------------------------------------------------------------


@pytest.fixture
def lists(make_article, make_project):
    article = make_article(title="Bài", category=Category.objects.create(name="Kinh tế"))
    article.tags.add(Tag.objects.create(name="Đô thị"))
    project = make_project(name="Đường", ward=Ward.objects.create(name="Vĩnh Niệm"))
    article.projects.add(project)
    KeyFigure.objects.create(article=article, project=project, label="Số", value="1")


@pytest.mark.django_db
@pytest.mark.parametrize("from_summary", [True, False], ids=["summary", "rows"])
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("articles:list", {}),
        ("articles:list", {"kind": "news", "q": "bai"}),
        ("articles:list", {"year": "abc"}),
        ("projects:list", {}),
        ("projects:list", {"zone": "north", "q": "duong"}),
        ("projects:list", {"area_min": "abc"}),
        ("figures", {}),
        ("figures", {"project": "duong"}),
        ("figures", {"project": "nope"}),
    ],
)
def test_every_select_of_every_list_offers_its_empty_choice_once(
    client, lists, settings, from_summary, url, params
):
    settings.LECHAN_FACET_SUMMARY_SECONDS = 600 if from_summary else 0
    content_version()
    page = client.get(reverse(url), params).content.decode()
    selects = re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S)
    assert len(selects) >= 2
    for name, select in selects:
        empty = re.findall(r'<option value=""[^>]*>\s*([^<]*?)\s*</option>', select)
        assert empty == (["Mặc định"] if name == "sort" else ["Tất cả"]), (name, empty)
        assert select.count("Tất cả") == (name != "sort"), name


@pytest.mark.parametrize(
    "input_type, value, shown",
    [
        ("number", "2020", "2020"),
        ("number", " -1.5e3 ", "-1.5e3"),
        ("number", "abc", None),
        ("number", "1,5", None),
        ("date", "2020-10-15", "2020-10-15"),
        ("date", "2020-02-30", None),
        ("date", "15/10/2020", None),
        ("text", "abc", "abc"),
        ("number", None, None),
    ],
)
def test_typed_inputs_carry_only_values_their_type_can_hold(input_type, value, shown):
    assert typed_value(input_type, value) == shown


def test_a_date_range_leaves_out_what_is_no_date_and_keeps_the_rest():
    html = DateRangeWidget().render("date", ["x", "2020-10-15"], {"id": "id_date"})
    assert 'value="x"' not in html
    assert 'name="date_before" value="2020-10-15"' in html


@pytest.mark.django_db
def test_a_list_filters_number_box_gives_back_its_error_but_not_a_value_that_is_no_number():
    from articles.filters import ArticleFilter

    filterset = ArticleFilter({"year": "abc"})
    assert not filterset.is_valid()
    html = str(filterset.form["year"])
    assert 'type="number"' in html and 'aria-invalid="true"' in html
    assert "abc" not in html
    assert 'value="2020"' in str(ArticleFilter({"year": "2020"}).form["year"])

"""The filter forms' widgets written in Python give Django's own markup."""

import re

import django_filters
import pytest
from django import forms

from lechan.widgets import DateRangeWidget, RangeWidget, Select


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

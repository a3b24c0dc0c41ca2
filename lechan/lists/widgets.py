"""Form widgets for the list filters: range inputs that each carry their own label.

They and the select write Django's own markup in Python: Django renders a template
per option and per set of attributes, a large share of a list page's rendering.
A number or date input never carries a value its type cannot hold (valid HTML).
"""

import re
from datetime import date

import django_filters
from django import forms
from django.utils.html import format_html, format_html_join

# HTML's valid floating-point number and valid date string.
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def typed_value(input_type, value):
    """`value` (trimmed) if an input of `input_type` may hold it, else None.

    A reader's "abc" in a number box comes back with its error message, but not as the
    input's value: HTML forbids it there, and browsers would drop it anyway.
    """
    if value is None or input_type not in ("number", "date"):
        return value
    value = str(value).strip()
    if input_type == "number":
        return value if NUMBER.fullmatch(value) else None
    try:
        return value if DATE.fullmatch(value) and date.fromisoformat(value) else None
    except ValueError:
        return None


def _label(widgets, labels):
    for widget, label in zip(widgets, labels, strict=True):
        widget.attrs["aria-label"] = label


def _attrs(attrs):
    """Attributes as Django's attrs.html writes them, in their order."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class _Inputs:
    """A pair of inputs with the markup of django-filter's template, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        subwidgets = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        return format_html_join("\n-", "{}", ((_input(widget),) for widget in subwidgets))


def _input(widget):
    value = typed_value(widget["type"], widget["value"])
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        "" if value is None else format_html(' value="{}"', value),
        _attrs(widget["attrs"]),
    )


class RangeWidget(_Inputs, django_filters.widgets.RangeWidget):
    """ "From" and "to" numbers, `name_min` and `name_max` in the query string."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})
        _label(self.widgets, ("Từ", "Đến"))


class DateRangeWidget(_Inputs, django_filters.widgets.DateRangeWidget):
    """Two native date pickers, `name_after` and `name_before` in the query string."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        _label(self.widgets, ("Từ ngày", "Đến ngày"))


class NumberInput(forms.NumberInput):
    """Django's number input, without a value that is not a number (see typed_value)."""

    def format_value(self, value):
        return typed_value(self.input_type, super().format_value(value))


class Select(forms.Select):
    """Django's select with the same markup, its options written in Python.

    Django renders a template for each option and another for its attributes: the
    filter forms' dozens of options took a large share of a list page's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group, options, _ in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], _attrs(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )

"""Facet counts for django-filter lists: how many results each choice would give.

Each facet is counted over the results filtered by every *other* parameter, so
picking a choice never hides its siblings. The facets whose own parameter is empty
are all counted by one GROUP BY over the filtered results; a facet whose parameter
is set, or one across a many-to-many relation (whose join repeats rows), by its own.
"""

from collections import Counter

from django.db.models import Count
from django_filters.constants import EMPTY_VALUES


def filtered(filterset, without=()):
    """The filterset's rows under every valid value but those of the filters `without`."""
    queryset = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in without:
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


def facet_counts(filterset, names, expressions=None):
    """{name: {value: count}} for the filters `names`, each ignoring its own value.

    A model choice is keyed by primary key, any other choice by its value; a name in
    `expressions` is counted by the value of that expression (a year, say) instead.
    """
    expressions = expressions or {}
    cleaned = filterset.form.cleaned_data
    meta = filterset.queryset.model._meta

    def column(name):
        return f"facet_{name}" if name in expressions else filterset.filters[name].field_name

    def joins_many(name):
        return name not in expressions and meta.get_field(column(name)).many_to_many

    shared = [n for n in names if cleaned.get(n) in EMPTY_VALUES and not joins_many(n)]
    groups = ([shared] if shared else []) + [[name] for name in names if name not in shared]
    counts = {name: Counter() for name in names}
    for group in groups:
        columns = [column(name) for name in group]
        queryset = filtered(filterset, without=group).annotate(
            **{column(name): expressions[name] for name in group if name in expressions}
        )
        if len(group) == 1 and joins_many(group[0]):
            # An inner join lets the database start from the link table when it is the
            # smaller side (no tags yet, say) instead of reading every filtered row.
            queryset = queryset.filter(**{f"{columns[0]}__isnull": False})
        # Each filter takes one value, so no join repeats a row: COUNT(*) per group will do.
        rows = queryset.values(*columns).annotate(n=Count("pk"))
        for row in rows:
            for name, column_name in zip(group, columns, strict=True):
                if row[column_name] not in (None, ""):
                    counts[name][row[column_name]] += row["n"]
    return counts


def label_choices(form_field, counts, key=lambda choice: choice):
    """Append "(n)" to each choice of a form field; model choices are keyed by `key`."""
    if hasattr(form_field, "queryset"):
        base = form_field.label_from_instance
        form_field.label_from_instance = lambda obj: f"{base(obj)} ({counts.get(key(obj), 0)})"
        return
    form_field.choices = [
        (value, f"{label} ({counts.get(value, 0)})" if value else label)
        for value, label in form_field.choices
    ]

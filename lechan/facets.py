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


def facet_counts(filterset, names, expressions=None, together=False):
    """({name: {value: count}}, total) for the filters `names`, each ignoring its own value.

    A model choice is keyed by primary key, any other choice by its value; a name in
    `expressions` is counted by the value of that expression (a year, say) instead.

    With `together`, every facet but those across a many-to-many relation is counted
    by one GROUP BY over the rows filtered by all but those facets' values: a facet
    sums the groups that agree with every other facet's value, and `total`, the
    groups that agree with them all, is the filtered rows' count. It pays when each
    query reads every row anyway (the matches of a search); else `total` is None.
    """
    expressions = expressions or {}
    cleaned = filterset.form.cleaned_data
    meta = filterset.queryset.model._meta

    def column(name):
        return f"facet_{name}" if name in expressions else filterset.filters[name].field_name

    def joins_many(name):
        return name not in expressions and meta.get_field(column(name)).many_to_many

    single = [n for n in names if not joins_many(n)]
    shared = single if together else [n for n in single if cleaned.get(n) in EMPTY_VALUES]
    groups = ([shared] if shared else []) + [[name] for name in names if name not in shared]
    counts, total = {name: Counter() for name in names}, None
    for group in groups:
        columns = [column(name) for name in group]
        queryset = filtered(filterset, without=group).annotate(
            **{column(name): expressions[name] for name in group if name in expressions}
        )
        chosen = {
            name: getattr(cleaned[name], "pk", cleaned[name])
            for name in group
            if cleaned.get(name) not in EMPTY_VALUES
        }
        totals = together and group is shared  # this group holds every single facet
        if totals:
            total = 0
        # Each filter takes one value, so no join repeats a row: COUNT(*) per group will do.
        for row in queryset.values(*columns).annotate(n=Count("pk")):
            differ = [name for name, value in chosen.items() if row[column(name)] != value]
            if totals and not differ:
                total += row["n"]
            for name, column_name in zip(group, columns, strict=True):
                # A row counts for a facet when every other facet's value agrees.
                if differ in ([], [name]) and row[column_name] not in (None, ""):
                    counts[name][row[column_name]] += row["n"]
    return counts, total


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


def offer_only(form_field, counts, chosen, limit):
    """Offer the `limit` model choices with the most results, and the one chosen.

    A register of thousands of projects would otherwise fill the select (and the
    page) with choices that give nothing under the other filters.
    """
    keep = [pk for pk, _ in counts.most_common(limit)]
    if chosen is not None:
        keep.append(chosen.pk)
    form_field.queryset = form_field.queryset.filter(pk__in=keep)

"""Facet counts for django-filter lists: how many results each choice would give.

Each facet is counted over the results filtered by every *other* parameter, so
picking a choice never hides its siblings. One GROUP BY query per facet.
"""

from django.db.models import Count


def facet_counts(filterset, name, field=None):
    """{value: count} for the filter `name`, ignoring that filter's own value."""
    data = filterset.data.copy()
    data.pop(name, None)
    data.pop("page", None)
    others = type(filterset)(data, queryset=filterset.queryset, request=filterset.request)
    field = field or filterset.filters[name].field_name
    # Every filter takes one value, so joins never repeat a row: a plain COUNT(*) will do.
    rows = others.qs.order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows if row[field] not in (None, "")}


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

"""What a list filter's select offers: each choice with its count, and for a model choice
only the most frequent ones, whose rows are read for every select in one query.

The counts come from lechan.lists.facets; this module only draws them.
"""

from functools import cache
from operator import itemgetter

from django.db.models import F, Value, Window
from django.db.models.functions import JSONObject, RowNumber
from django_filters.constants import EMPTY_VALUES

# Model fields whose values come out of a JSON object as text or a float.
TYPED_IN_JSON = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DurationField",
    "DecimalField",
    "UUIDField",
}


def label_choices(form_field, counts, key=lambda choice: choice):
    """Append "(n)" to each choice of a form field; model choices are keyed by `key`.

    The empty choice ("Tất cả") is left out of the choices given back: django-filter's
    field adds its own to whatever choices it is given.
    """
    if hasattr(form_field, "queryset"):
        base = form_field.label_from_instance
        form_field.label_from_instance = lambda obj: f"{base(obj)} ({counts.get(key(obj), 0)})"
        return
    form_field.choices = [
        (value, f"{label} ({counts.get(value, 0)})")
        for value, label in form_field.choices
        if value not in EMPTY_VALUES
    ]


def offer_only(offers, limit):
    """Offer, for each (model-choice form field, its counts, its chosen value, the rows
    its filter offers) of `offers`, the `limit` choices with the most results, and the
    one chosen.

    A register of thousands of projects would otherwise fill the select (and the
    page) with choices that give nothing under the other filters. Rows a filter does
    not offer (a hidden project, say) are counted but take no place; every counted
    value is one some row of the list has. The rows of
    every field are read in one query, twice as many as offered where the field may
    not offer some (another query only for a field that offers fewer than half of
    them), and drawn as they are, not read again.
    """
    wanted = {
        index: 2 * limit if offered.query.has_filters() else limit
        for index, (_, _, _, offered) in enumerate(offers)
    }
    while wanted:
        candidates = {}
        for index, want in wanted.items():
            _, counts, chosen, offered = offers[index]
            extra = [] if chosen is None else [chosen.pk]
            frequent = [pk for pk, _ in counts.most_common(want)]
            candidates[index] = (frequent, offered.filter(pk__in=frequent + extra))
        querysets = [queryset for _, queryset in candidates.values()]
        read = dict(zip(candidates, read_together(querysets), strict=True))
        for index, (frequent, _) in candidates.items():
            form_field, _, chosen, offered = offers[index]
            found = {row.pk for row in read[index]}
            keep = [pk for pk in frequent if pk in found][:limit]
            if len(keep) < limit and len(frequent) == wanted[index]:
                wanted[index] *= 2  # most of the frequent ones are not offered: read further
                continue
            del wanted[index]
            keep = {*keep, *([] if chosen is None else [chosen.pk])}
            _offer(form_field, offered, [row for row in read[index] if row.pk in keep])


def _offer(form_field, offered, rows):
    """The field offers `rows` (of `offered`), and its select draws them without a query."""
    form_field.queryset = offered.filter(pk__in=[row.pk for row in rows])
    options = form_field.iterator(form_field)
    empty = [] if form_field.empty_label is None else [("", form_field.empty_label)]
    form_field.widget.choices = empty + [options.choice(row) for row in rows]


def read_together(querysets):
    """The rows of `querysets`, of any models, in one query: a list of rows for each.

    UNION ALL of the querysets' rows as JSON objects of their fields, each with its
    rank in its own queryset's order (a UNION keeps no order of its parts). A select
    box per vocabulary (category, tag, speaker…) is then one query for all of them.
    """
    parts = []
    for index, queryset in enumerate(querysets):
        model = queryset.model
        fields = model._meta.concrete_fields
        rows = model._base_manager.filter(pk__in=queryset.order_by().values("pk"))
        parts.append(
            rows.order_by()
            .annotate(
                facet_part=Value(index),
                facet_rank=Window(RowNumber(), order_by=_ordering(queryset)),
                facet_row=JSONObject(**{field.attname: field.attname for field in fields}),
            )
            .values_list("facet_part", "facet_rank", "facet_row")
        )
    found = [[] for _ in querysets]
    if parts:
        for index, rank, row in parts[0].union(*parts[1:], all=True):
            found[index].append((rank, row))
    return [
        [_instance(queryset.model, row) for _, row in sorted(ranked, key=itemgetter(0))]
        for queryset, ranked in zip(querysets, found, strict=True)
    ]


def _ordering(queryset):
    """The queryset's order as expressions, its key last to break ties.

    Read from its Query: Django has no public way to ask a queryset for its order
    (QuerySet.ordered only says whether it has one).
    """
    query = queryset.query
    names = query.order_by or (queryset.model._meta.ordering if query.default_ordering else [])
    order = []
    for name in names:
        if isinstance(name, str):
            name = F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        order.append(name)
    return [*order, F("pk").asc()]


def _instance(model, row):
    """A model instance from a JSON object of its fields (JSON has no dates or decimals)."""
    names, typed = _columns(model)
    values = [row.get(name) for name in names]
    for index, field in typed:
        if values[index] is not None:
            values[index] = field.to_python(values[index])
    return model.from_db(None, names, values)


@cache
def _columns(model):
    """The model's column names, and its fields whose values JSON gives as text or float."""
    fields = model._meta.concrete_fields
    typed = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() in TYPED_IN_JSON
    ]
    return [field.attname for field in fields], typed

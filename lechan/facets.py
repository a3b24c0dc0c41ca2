"""Facet counts for django-filter lists: how many results each choice would give.

Each facet is counted over the results filtered by every *other* parameter, so
picking a choice never hides its siblings. The facets whose own parameter is empty
are all counted by one GROUP BY over the filtered results; a facet whose parameter
is set, or one across a many-to-many relation (whose join repeats rows), by its own.

A list whose parameters are only facet choices is counted from its `Summary`
instead: the unfiltered rows grouped by every facet once per content version, so
that no request reads all the rows a broad choice (or none) matches.
"""

from collections import Counter, defaultdict
from itertools import compress

from django.db.models import Count
from django_filters.constants import EMPTY_VALUES


def filtered(filterset, without=()):
    """The filterset's rows under every valid value but those of the filters `without`."""
    queryset = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in without:
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


class Facets:
    """The facet columns of a filterset: `names`, some counted by an expression's value."""

    def __init__(self, filterset, names, expressions=None):
        self.filterset, self.names = filterset, list(names)
        self.expressions = expressions or {}
        meta = filterset.queryset.model._meta
        self.many = [
            name
            for name in self.names
            if name not in self.expressions and meta.get_field(self.column(name)).many_to_many
        ]
        self.single = [name for name in self.names if name not in self.many]

    def column(self, name):
        if name in self.expressions:
            return f"facet_{name}"
        return self.filterset.filters[name].field_name

    def chosen(self, names):
        """{name: value} of the filters `names` given a value (a model choice by its key)."""
        cleaned = self.filterset.form.cleaned_data
        return {
            name: getattr(cleaned[name], "pk", cleaned[name])
            for name in names
            if cleaned.get(name) not in EMPTY_VALUES
        }

    def choices_only(self, others=()):
        """Whether every parameter given a value is a single-valued facet or in `others`."""
        return all(
            value in EMPTY_VALUES or name in self.single or name in others
            for name, value in self.filterset.form.cleaned_data.items()
        )

    def groups(self, queryset, names, by=None):
        """(values of `names`, count) of each group of `queryset`'s rows, `by` a column too."""
        columns = [self.column(name) for name in names] + ([self.column(by)] if by else [])
        expressions = {name: self.expressions[name] for name in names if name in self.expressions}
        queryset = queryset.annotate(**{self.column(n): e for n, e in expressions.items()})
        # Each filter takes one value, so no join repeats a row: COUNT(*) per group will do.
        for *values, n in queryset.values_list(*columns).annotate(n=Count("pk")):
            yield tuple(values), n


def tally(groups, names, chosen, many=None):
    """({name: {value: count}}, total) from `groups`, (values of `names`, count) pairs.

    A group counts for a facet when every other chosen value agrees with it, and for
    `total` when they all do. `many` holds the counts of facets across a many-to-many
    relation, {name: [(value, indexes of groups in `groups`, their counts)]}: only
    `total`'s groups add theirs up.
    """
    counts, total = {name: Counter() for name in [*names, *(many or {})]}, 0
    picked = [(i, chosen[name]) for i, name in enumerate(names) if name in chosen]
    agree = bytearray(len(groups))
    for index, (values, n) in enumerate(groups):
        differ = [i for i, value in picked if values[i] != value]
        if not differ:
            total += n
            agree[index] = 1
            for name, value in zip(names, values, strict=True):
                if value not in (None, ""):
                    counts[name][value] += n
        elif len(differ) == 1 and values[differ[0]] not in (None, ""):
            counts[names[differ[0]]][values[differ[0]]] += n
    for name, rows in (many or {}).items():
        for value, indexes, sizes in rows:
            if n := sum(compress(sizes, map(agree.__getitem__, indexes))):
                counts[name][value] = n
    return counts, total


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
    facets = Facets(filterset, names, expressions)
    empty = [name for name in facets.single if name not in facets.chosen(facets.single)]
    shared = facets.single if together else empty
    groups = ([shared] if shared else []) + [[name] for name in facets.names if name not in shared]
    counts, total = {}, None
    for group in groups:
        rows = list(facets.groups(filtered(filterset, without=group), group))
        group_counts, group_total = tally(rows, group, facets.chosen(group))
        counts.update(group_counts)
        if together and group is shared:  # this group holds every single facet
            total = group_total
    return counts, total


class Summary:
    """A list's unfiltered rows grouped by every facet's value: counts without the rows.

    One GROUP BY by the single-valued facets, and one more per facet across a
    many-to-many relation, read once (per content version, see FacetedFilterView);
    then any choice among the single-valued facets is counted in Python over the
    groups, a few thousand however many rows they hold.
    """

    def __init__(self, facets):
        queryset = facets.filterset.queryset.order_by()
        self.names = facets.single
        self.groups = list(facets.groups(queryset, self.names))
        index = {values: i for i, (values, _) in enumerate(self.groups)}
        self.many = {}
        for name in facets.many:
            by_value = defaultdict(lambda: ([], []))
            for (*values, value), n in facets.groups(queryset, self.names, by=name):
                # A group missing from the first read was written since: the save that
                # wrote it starts a new content version, and a new summary.
                if value is not None and tuple(values) in index:
                    by_value[value][0].append(index[tuple(values)])
                    by_value[value][1].append(n)
            self.many[name] = [(value, *pair) for value, pair in by_value.items()]
        self.seen = [{values[i] for values in index} for i in range(len(self.names))]

    def counts(self, facets):
        """facet_counts' answer for `facets` (whose filters with a value are all among
        the single-valued facets), or None when a value is in no group (a year beyond
        those counted, say): that list is counted from its rows."""
        chosen = facets.chosen(self.names)
        if any(value not in self.seen[self.names.index(n)] for n, value in chosen.items()):
            return None
        return tally(self.groups, self.names, chosen, self.many)


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

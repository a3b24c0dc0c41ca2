"""Facet counts for django-filter lists: how many results each choice would give.

Each facet is counted over the results filtered by every *other* parameter, so
picking a choice never hides its siblings. The facets whose own parameter is empty
are all counted by one GROUP BY over the filtered results; a facet whose parameter
is set, or one across a many-to-many relation (whose join repeats rows), by its own.

A list whose parameters are only facet choices (and a search) is counted from its
`Summary` instead: the unfiltered rows grouped by every facet once per content
version, so that no request reads all the rows a broad choice (or none) matches; a
search's matches are read by key alone, and counted by the groups they are in.
"""

import re
from array import array
from collections import Counter
from itertools import chain, compress, groupby
from operator import itemgetter

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

    def annotated(self, queryset, names):
        """`queryset` with the expressions of the facets `names` as their columns."""
        expressions = {name: self.expressions[name] for name in names if name in self.expressions}
        return queryset.annotate(**{self.column(n): e for n, e in expressions.items()})

    def groups(self, queryset, names):
        """(values of `names`, count) of each group of `queryset`'s rows."""
        columns = [self.column(name) for name in names]
        # Each filter takes one value, so no join repeats a row: COUNT(*) per group will do.
        grouped = self.annotated(queryset, names).values_list(*columns).annotate(n=Count("pk"))
        for *values, n in grouped:
            yield tuple(values), n

    def rows(self, queryset, names):
        """(key, values of `names`) of each of `queryset`'s rows; one per value across a
        many-to-many relation, (key, (None,)) for a row with none."""
        columns = [self.column(name) for name in names]
        for key, *values in self.annotated(queryset, names).values_list("pk", *columns):
            yield key, tuple(values)


def tally(groups, names, chosen):
    """({name: {value: count}}, total, agree) from `groups`, (values of `names`, count).

    A group counts for a facet when every other chosen value agrees with it, and for
    `total` when they all do; `agree` marks those groups by their index in `groups`,
    whether or not any of the counted rows is in them (for counting the facets across
    a many-to-many relation, see Summary.counts).
    """
    counts, total = {name: Counter() for name in names}, 0
    picked = [(i, chosen[name]) for i, name in enumerate(names) if name in chosen]
    agree = bytearray(len(groups))
    for index, (values, n) in enumerate(groups):
        differ = [i for i, value in picked if values[i] != value]
        if not differ:
            agree[index] = 1
        if not n:
            continue
        if not differ:
            total += n
            for name, value in zip(names, values, strict=True):
                if value not in (None, ""):
                    counts[name][value] += n
        elif len(differ) == 1 and values[differ[0]] not in (None, ""):
            counts[names[differ[0]]][values[differ[0]]] += n
    return counts, total, agree


def facet_counts(filterset, names, expressions=None, together=False):
    """({name: {value: count}}, total) for the filters `names`, each ignoring its own value.

    A model choice is keyed by primary key, any other choice by its value; a name in
    `expressions` is counted by the value of that expression (a year, say) instead.

    With `together`, every facet but those across a many-to-many relation is counted
    by one GROUP BY over the rows filtered by all but those facets' values: a facet
    sums the groups that agree with every other facet's value. It pays when each
    query reads every row anyway (the matches of a search).

    `total`, the filtered rows' count, is read from the first query of single-valued
    facets, filtered by every other parameter: its groups that agree with the values
    chosen among them (no join repeats a row), so no count query is needed. An
    expression must give a chosen value to the rows that filter keeps.
    """
    facets = Facets(filterset, names, expressions)
    empty = [name for name in facets.single if name not in facets.chosen(facets.single)]
    shared = facets.single if together else empty
    groups = ([shared] if shared else []) + [[name] for name in facets.names if name not in shared]
    counts, total = {}, None
    for group in groups:
        rows = list(facets.groups(filtered(filterset, without=group), group))
        group_counts, group_total, _ = tally(rows, group, facets.chosen(group))
        counts.update(group_counts)
        if total is None and group[0] in facets.single:
            total = group_total
    return counts, total


class Summary:
    """A list's unfiltered rows grouped by every facet's value: counts without the rows.

    Read once per content version (see FacetedFilterView): each row's single-valued
    facets, and each row's values of every facet across a many-to-many relation.
    Rows alike in all the single-valued facets form a group, a few thousand however
    many rows there are, so any choice among those facets is counted in Python over
    the groups. A search's matches are counted from their keys the same way: which
    group each is in, and which many-to-many values it has.

    Each row's group is kept in an array indexed by key, 4 bytes a key up to the
    largest, and which keys have a row in a mask of a
    byte a key (`present`, for Summary.outside); see Links for the many-to-many values.
    """

    def __init__(self, facets):
        queryset = facets.filterset.queryset.order_by()
        self.names = facets.single
        index, keys = {}, {}
        for key, values in facets.rows(queryset, self.names):
            keys[key] = index.setdefault(values, len(index))
        self.group_of = array("i", [-1]) * (max(keys, default=0) + 1)
        present = bytearray(len(self.group_of))  # 1 at each row's key
        for key, group in keys.items():
            self.group_of[key], present[key] = group, 1
        self.present, self.size = bytes(present), len(keys)
        sizes = Counter(keys.values())
        self.groups = [(values, sizes[group]) for values, group in index.items()]
        self.seen = [{values[i] for values in index} for i in range(len(self.names))]
        self.many = {}
        for name in facets.many:
            linked = queryset.filter(**{f"{facets.column(name)}__isnull": False}).order_by("pk")
            self.many[name] = Links(facets.rows(linked, [name]), self.group_of)

    def counts(self, facets, among=None):
        """facet_counts' answer for `facets`, over the rows whose keys are `among` if given
        (a search's matches, say), or None when a value is in no group (a year beyond
        those counted, say): that list is counted from its rows.

        The filters of `facets` with a value must all be among the single-valued facets.
        """
        chosen = facets.chosen(self.names)
        if any(value not in self.seen[self.names.index(n)] for n, value in chosen.items()):
            return None
        if among is None:
            counts, total, agree = tally(self.groups, self.names, chosen)
            for name, links in self.many.items():
                counts[name] = links.count(agree)
            return counts, total
        group_of, end = self.group_of, len(self.group_of)
        # When most rows match (a common word), those that don't are counted, and taken
        # from the counts of all the rows.
        common = 2 * len(among) > self.size
        if common:
            keys = self.outside(among)
        else:
            keys = [key for key in among if key < end and group_of[key] >= 0]
        sizes = Counter(map(group_of.__getitem__, keys))
        groups = [
            (values, n - sizes.get(group, 0) if common else sizes.get(group, 0))
            for group, (values, n) in enumerate(self.groups)
        ]
        counts, total, agree = tally(groups, self.names, chosen)
        keys = [key for key in keys if agree[group_of[key]]]  # those on the list, or not
        for name, links in self.many.items():
            counted = links.count_keys(keys)
            counts[name] = links.count(agree) - counted if common else counted
        return counts, total

    def outside(self, among):
        """The keys of the rows whose keys are not `among`, in key order.

        Marked by key in a bytearray, then taken from the rows' own marks as one int: for
        the matches of a common word, nearly every row, far quicker than a set difference.
        """
        marked = bytearray(max(len(self.present), max(among, default=0) + 1))
        for key in among:
            marked[key] = 1
        rest = int.from_bytes(self.present, "little") & ~int.from_bytes(marked, "little")
        return [m.start() for m in re.finditer(b"\x01", rest.to_bytes(len(marked), "little"))]


class Links:
    """The values of a facet across a many-to-many relation, of each row of a Summary.

    `pairs` are (key, (value,)) in key order, one per value; a row without any has none.
    Each row's values are kept as a tuple in a list indexed by key (8 bytes a key;
    the rows with the same values share one tuple), and summed by group for counting
    all the rows at once.
    """

    def __init__(self, pairs, group_of):
        self.of_key, shared, by_group = [()] * len(group_of), {}, Counter()
        for key, rows in groupby(pairs, itemgetter(0)):
            # A row missing from the groups was written since they were read: the save
            # that wrote it starts a new content version, and a new summary.
            if key >= len(group_of) or group_of[key] < 0:
                continue
            values = tuple(value for _, (value,) in rows)
            self.of_key[key] = shared.setdefault(values, values)
            by_group.update((value, group_of[key]) for value in values)
        self.by_value = {}
        for (value, group), n in by_group.items():
            groups, sizes = self.by_value.setdefault(value, ([], []))
            groups.append(group)
            sizes.append(n)
        self.totals = Counter({value: sum(sizes) for value, (_, sizes) in self.by_value.items()})

    def count(self, agree):
        """{value: rows} of the rows in the groups `agree` marks."""
        if all(agree):
            return self.totals.copy()
        return Counter(
            {
                value: n
                for value, (groups, sizes) in self.by_value.items()
                if (n := sum(compress(sizes, map(agree.__getitem__, groups))))
            }
        )

    def count_keys(self, keys):
        """{value: rows} of the rows keyed `keys`."""
        return Counter(chain.from_iterable(map(self.of_key.__getitem__, keys)))

"""The list page both apps share: django-filter, facet counts, highlighted snippets.

Whatever a reader types, a list's filters ask the database nothing its columns cannot
hold, and offer no choice that only unpublished content has (ListFilterSet).
"""

import datetime
from decimal import Decimal
from operator import attrgetter

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django_filters.utils import get_model_field
from django_filters.views import FilterView

from lechan import search
from lechan.cache import cache_call, request_content_version
from lechan.facets import Facets, Summary, facet_counts, filtered, label_choices, offer_only
from lechan.widgets import Select

# The dates whose every moment, in any time zone, is a UTC time Python (and so the
# database driver) can hold: a day short of each end of its calendar.
DAY = datetime.timedelta(days=1)
DATES = (datetime.date.min + DAY, datetime.date.max - DAY)
# The years of those dates: a year lookup reads its first and last moments.
YEARS = (DATES[0].year + 1, DATES[1].year - 1)
# Lookups that compare a column's own value (RangeFilter sets one of the last three).
COMPARISONS = {"exact", "gt", "gte", "lt", "lte", "range"}
# The form fields whose values are bounded by their columns.
NUMBERS = forms.DecimalField | forms.IntegerField | forms.FloatField
DATES_AND_TIMES = forms.DateField | forms.DateTimeField


def column_bounds(field, transforms=()):
    """(lowest, highest, decimal places) of what the model `field` can hold, after
    `transforms` (a year of a date, say); None for places on a date.

    An integer column holds what its type holds on every database Django supports (SQLite
    would take a 64-bit value where PostgreSQL refuses it), and within what its own
    validators allow; a decimal column, what its digits can write.
    """
    if transforms:
        if list(transforms) in (["year"], ["iso_year"]):
            return *YEARS, 0
        raise ImproperlyConfigured(f"No bounds known for {field.name}__{'__'.join(transforms)}")
    if isinstance(field, models.DateTimeField):
        return *DATES, None
    if isinstance(field, models.DateField):
        return datetime.date.min, datetime.date.max, None
    if isinstance(field, models.DecimalField):
        places = field.decimal_places
        highest = Decimal(10) ** (field.max_digits - places) - Decimal(10) ** -places
        return -highest, highest, places
    if isinstance(field, models.IntegerField):
        lowest, highest = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        for validator in field.validators:  # the database's range, and the model's own
            if isinstance(validator, MinValueValidator):
                lowest = max(lowest, validator.limit_value)
            elif isinstance(validator, MaxValueValidator):
                highest = min(highest, validator.limit_value)
        return lowest, highest, 0
    raise ImproperlyConfigured(f"No bounds known for a {type(field).__name__}")


class Within:
    """A form field's validator: a value from `lowest` to `highest` with at most `places`
    decimal places (a date when `places` is None), refused with a Vietnamese message."""

    def __init__(self, lowest, highest, places=None):
        self.lowest, self.highest, self.places = lowest, highest, places

    def __call__(self, value):
        if not self.lowest <= value <= self.highest:
            raise ValidationError(self.out_of_bounds(), code="bounds")
        if self.places is not None and decimal_places(value) > self.places:
            raise ValidationError(self.too_precise(), code="places")

    def out_of_bounds(self):
        if self.places is None:
            return f"Nhập một ngày từ {written_date(self.lowest)} đến {written_date(self.highest)}."
        return f"Nhập một số từ {written_number(self.lowest)} đến {written_number(self.highest)}."

    def too_precise(self):
        if self.places:
            return f"Nhập một số có tối đa {self.places} chữ số thập phân."
        return "Nhập một số nguyên."


def decimal_places(value):
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return max(0, -exponent)


def written_number(value):
    """A number as Vietnamese write it: "2.147.483.647", "99,5"; four digits ungrouped
    (a year reads "2020")."""
    return number_format(Decimal(value).normalize(), force_grouping=abs(value) >= 10_000)


def written_date(value):
    """A date as "02/01/0001" (strftime would write year 1 as "1")."""
    return f"{value.day:02}/{value.month:02}/{value.year:04}"


def keep_within(form_field, lowest, highest, places):
    """Have `form_field` refuse what lies outside `lowest`..`highest` or its own limits, or
    has more than `places` decimal places: with one message, instead of Django's."""
    own = [v for v in form_field.validators if isinstance(v, MinValueValidator | MaxValueValidator)]
    for validator in own:
        if isinstance(validator, MinValueValidator):
            lowest = max(lowest, validator.limit_value)
        else:
            highest = min(highest, validator.limit_value)
    kept = [v for v in form_field.validators if v not in own]
    form_field.validators = [*kept, Within(lowest, highest, places)]


def moments(first, last):
    """The first moment of the day `first` and the last of `last`, in the current time zone."""
    return (
        timezone.make_aware(datetime.datetime.combine(first, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(last, datetime.time.max)),
    )


class ScaledRangeFilter(django_filters.RangeFilter):
    """A range typed in a unit `scale` times the column's: tỷ đồng for a column of đồng."""

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale

    def filter(self, qs, value):
        if value:
            start, stop = (None if v is None else v * self.scale for v in (value.start, value.stop))
            value = slice(start, stop)
        return super().filter(qs, value)


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet for a public list, whose form keeps to the list's rows and columns.

    A model choice offers, and takes, only the values some row of the list has: its
    rows are what the public may see, so nothing known only from a draft, a scheduled
    article or a hidden project shows, whether the form is valid, invalid or unbound.
    A number or a date is refused (a form error) outside what its column can hold: a
    filter names its column by `field_name`, a ScaledRangeFilter divides it by `scale`.
    """

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, form_field in form.fields.items():
                if isinstance(form_field, forms.ModelChoiceField):
                    form_field.queryset = self.listed(name, form_field.queryset)
                else:
                    self.bound(name, form_field)
        return self._form

    def listed(self, name, choices):
        """The `choices` of the filter `name` that some row of the list has."""
        rows = self.queryset.order_by().filter(**{self.filters[name].field_name: OuterRef("pk")})
        return choices.filter(Exists(rows))

    def bound(self, name, form_field):
        """Keep the numbers and dates of the filter `name` to what its column holds."""
        inputs = [
            field
            for field in getattr(form_field, "fields", [form_field])
            if isinstance(field, NUMBERS | DATES_AND_TIMES)
        ]
        if not inputs:
            return
        filter_ = self.filters[name]
        column = get_model_field(self._meta.model, filter_.field_name)
        if column is None:
            raise ImproperlyConfigured(f"The filter {name} names no column to bound it by")
        transforms = [part for part in filter_.lookup_expr.split("__") if part not in COMPARISONS]
        lowest, highest, places = column_bounds(column, transforms)
        scale = getattr(filter_, "scale", 1)
        if scale != 1:  # a power of ten
            lowest, highest = Decimal(lowest) / scale, Decimal(highest) / scale
            places += Decimal(scale).adjusted()
        for field in inputs:
            if isinstance(field, forms.DateTimeField):  # the first and last moments
                keep_within(field, *moments(lowest, highest), None)
            else:
                keep_within(field, lowest, highest, places)


class SearchFilterSet(ListFilterSet):
    """A FilterSet whose `q` goes through the site's search service.

    Whether the query matches exactly, or only loosely, is decided once per request
    (over the unfiltered rows, as `q` filters first) and reused by the facet counts.
    Its choices render with lechan.widgets.Select, a select written in Python.
    """

    q = django_filters.CharFilter(label="Từ khóa", method="filter_q")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("widget", Select)

    def filter_q(self, queryset, name, value):
        query = search.parse(value)
        if not query:
            return queryset
        return (search.loose if self.loose(query) else search.exact)(queryset, query)

    def loose(self, query):
        """Whether `query` matches only loosely: nothing among the unfiltered rows exactly."""
        if not hasattr(self, "_loose"):
            self._loose = (
                search.may_loosen(query) and not search.exact(self.queryset, query).exists()
            )
        return self._loose

    def matching_keys(self, query):
        """The keys of the model's rows `query` matches as `q` (published or not)."""
        return search.keys(self.queryset.model, query, loose=self.loose(query))


def page_number(value):
    """The page number (1 or more) the query string's `value` gives, else None.

    Only ASCII digits, at most 18 of them: "²" passes str.isdigit() but not int(), and
    int() refuses a number of 4,300 digits.
    """
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value) or None
    return None


class KeysFirstPaginator(Paginator):
    """Sorts and slices the results' keys alone, then reads the page's rows by key.

    `rows` is the queryset they are read from. A page of search matches sorted with
    their whole rows (body and all) took PostgreSQL ~77 ms for 15,000 matches at
    100,000 articles; their keys alone are sorted from an index.
    """

    def __init__(self, object_list, per_page, rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):  # else the keys already, from BestFirst
            object_list = object_list.values_list("pk", flat=True)
        keys = list(object_list)
        found = self.rows.in_bulk(keys)
        return super()._get_page([found[k] for k in keys if k in found], number, paginator)


class BestFirst:
    """The keys of a list's search matches in relevance order, sliced by its paginator.

    `ranked` is the list's queryset, ordered by search_rank and then by the list's
    order for ties; `others`, its rows under the other filters, in that order for
    ties. A slice within the first `rows` is read by search.best, tier by tier from
    the best, which stops once the slice is full: the best tier of a common word holds
    a thousand matches where all the tiers hold fifteen thousand (at 100,000
    articles), which `ranked` would all read and sort. Past that, search.ranked_keys
    counts each tier's rows and reads the slice from its tier with an offset; it is
    given the keys of every match (`matched`) when the facet counts read them. For
    15,000 matches, rows 1,980 to 2,000 take about 8 ms that way, against 19 by ranking
    every match; from row 5,000 on, both take 20 to 25.
    """

    rows = 1000

    def __init__(self, ranked, others, query, loose, matched=None):
        self.ranked, self.query, self.loose, self.matched = ranked, query, loose, matched
        self.others = others.select_related(None).only("pk")

    def count(self):
        return self.ranked.count()

    def __getitem__(self, page):
        # Read once, then let go: a common word's keys are a hundred thousand ints.
        matched, self.matched = self.matched, None
        if page.stop > self.rows:
            return search.ranked_keys(
                self.others, self.query, page.start, page.stop, self.loose, matched
            )
        best = search.best(self.others, self.query, page.stop, loose=self.loose)
        return [row.pk for row in best[page]]


class FacetedFilterView(FilterView):
    """A FilterView whose filterset is always bound (so its ordering always applies).

    `facets` names choice filters counted by value, `model_facets` model-choice
    filters counted by primary key, each offering only its `model_facet_choices`
    choices with the most results (and the chosen one); `snippet` gives the text to
    highlight.

    A request whose parameters are only facet choices (or `order_parameters`, or `q`)
    is counted from the list's facet Summary, kept for the current content version
    (lechan.cache): a new one is read after any save or delete, or once the next
    scheduled article goes live.
    """

    facets = ()
    model_facets = ()
    model_facet_choices = 50  # the most frequent, with results under the other filters
    order_parameters = ("sort",)
    paginator_class = KeysFirstPaginator
    _summaries = {}  # {view class: (content version, Summary)}

    def snippet(self, obj):
        return ""

    def facet_expressions(self):
        """{filter name: expression} for facets counted by an expression's value."""
        return {}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET.copy()
        return kwargs

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        query = self.query = search.Query()
        counts, self.total, self.matched = None, None, None
        if filterset.is_valid():
            query = self.query = search.parse(filterset.form.cleaned_data.get("q"))
            expressions = self.facet_expressions()
            names = [*self.facets, *self.model_facets, *expressions]
            facets = Facets(filterset, names, expressions)
            summary = facets.choices_only((*self.order_parameters, "q")) and self.summary(facets)
            # A search's matches are counted by their keys, read from the index alone.
            among = self.matched = filterset.matching_keys(query) if query and summary else None
            answer = summary and summary.counts(facets, among)
            # Else, with a query every facet query reads all the matches: one reads them for
            # all but the many-to-many facets, and gives the page count too.
            counts, self.total = answer or facet_counts(
                filterset, names, expressions, together=bool(query)
            )
        context = super().get_context_data(**kwargs)
        # The view lives on in the response's reference cycles until the collector runs;
        # freed now, a common word's keys don't pile up for it (a 10 ms pause at p95).
        self.matched = None
        if counts is not None:
            fields = filterset.form.fields
            context["facet_counts"] = counts
            for name in self.facets:
                label_choices(fields[name], counts[name])
            for name in self.model_facets:
                label_choices(fields[name], counts[name], key=attrgetter("pk"))
                chosen = filterset.form.cleaned_data.get(name)
                offered = filterset.filters[name].get_queryset(self.request)
                offer_only(fields[name], counts[name], chosen, self.model_facet_choices, offered)
        context["query"] = query
        context["results"] = [
            (obj, search.highlight(self.snippet(obj), query) if query else "")
            for obj in context["object_list"]
        ]
        return context

    def summary(self, facets):
        """This list's facet Summary for the current content version, or None without one.

        Kept in this process, and in the shared cache for the other processes: after an
        edit one of them reads the rows, the others load what it stored.
        """
        version = request_content_version(self.request)
        if settings.FACET_SUMMARY_SECONDS <= 0 or version is None:
            return None
        held = self._summaries.get(type(self))
        if held is None or held[0] != version:
            key = f"facets:{version}:{type(self).__module__}.{type(self).__qualname__}"
            summary = cache_call("get", key)
            if summary is None:
                summary = Summary(facets)
                cache_call("set", key, summary, settings.FACET_SUMMARY_SECONDS)
            held = self._summaries[type(self)] = (version, summary)
        return held[1]

    def paginate_queryset(self, queryset, page_size):
        order = queryset.query.order_by
        if self.query and order and order[0] == "-search_rank":  # in relevance order
            others = filtered(self.filterset, without=["q"]).order_by(*order[1:])
            loose = self.filterset.loose(self.query)
            queryset = BestFirst(queryset, others, self.query, loose, self.matched)
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, rows=self.filterset.queryset, **kwargs)
        if self.total is not None:
            paginator.count = self.total  # counted with the facets: no second count query
        return paginator

"""The filter sets content apps' lists build on: whatever a reader types, a list's filters ask
the database nothing its columns cannot hold, and offer no choice that only unpublished
content has (ListFilterSet).
"""

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.functional import cached_property
from django_filters.utils import get_model_field

from lechan import search
from lechan.lists.widgets import NumberInput, Select
from lechan.numbers import column_range, written

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
        return *column_range(field), field.decimal_places
    if isinstance(field, models.IntegerField):
        lowest, highest = column_range(field)
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
    return written(value, grouped=abs(value) >= 10_000)


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

    @cached_property
    def form(self):
        form = super().form
        for name, form_field in form.fields.items():
            if isinstance(form_field, forms.ModelChoiceField):
                form_field.queryset = self.listed(name, form_field.queryset)
            else:
                self.bound(name, form_field)
        return form

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
    Its choices render with lechan.lists.widgets.Select, a select written in Python, and its
    numbers with lechan.lists.widgets.NumberInput, which leaves out a value that is no number.
    """

    q = django_filters.CharFilter(label="Từ khóa", method="filter_q")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("widget", Select)
            elif isinstance(filter_, django_filters.NumberFilter):
                filter_.extra.setdefault("widget", NumberInput)

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

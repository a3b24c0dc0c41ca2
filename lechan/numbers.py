"""Numbers as Vietnamese write them, within what their column holds: "40.843", "91,95".

`parse` reads a dot grouping thousands and a decimal comma, and refuses what it cannot
read for certain ("3.2", "3,2,1"): a number is never silently changed. `NumberField` is
the form field of every numeric column in the admin (see `formfield`): it shows numbers
the same way, and refuses one its column cannot hold (the declared type's range, the same
on SQLite and PostgreSQL) or with more decimals than it keeps. A `unit` lets an editor
type tỷ đồng for a column of đồng.
"""

import re
from decimal import Decimal, localcontext

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.numberformat import format as number_format

BILLION = Decimal(1_000_000_000)  # one tỷ: sums of đồng are read and written in tỷ
MAX_LENGTH = 100  # characters: no column holds a longer number
# Digits, grouped by three with dots or not grouped at all, then a decimal comma.
WRITTEN = re.compile(r"(?P<sign>[-−]?)(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<fraction>\d+))?")
HOW_TO_WRITE = (
    "Viết số như “1.500” hoặc “91,95”: dấu chấm ngăn hàng nghìn, dấu phẩy trước phần thập phân."
)


def in_billions(amount):
    """An amount of đồng in tỷ đồng (None stays None): 40843000000000 → 40843."""
    if amount is None:
        return None
    return Decimal(amount) / BILLION


def parse(text):
    """The Decimal that `text` writes ("40.843" → 40843, "91,95" → 91.95), or ValidationError."""
    text = str(text).strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError("Số này quá dài để lưu.", code="max_value")
    match = WRITTEN.fullmatch(text)
    if match is None:
        raise ValidationError(
            "Không đọc được số “%(text)s”. " + HOW_TO_WRITE,
            code="invalid",
            params={"text": text},
        )
    digits = match["whole"].replace(".", "")
    if match["fraction"]:
        digits += "." + match["fraction"]
    number = Decimal(digits)
    return -number if match["sign"] else number


def plain(number):
    """`number` without trailing zeros nor exponent: 2.50E+9 → 2500000000."""
    number = Decimal(number)
    _, digits, exponent = number.as_tuple()
    zeros = max(exponent, 0) if isinstance(exponent, int) else 0  # 2.5E+9 writes 8 more digits
    with localcontext() as exact:  # as many digits as it has: nothing is rounded
        exact.prec = max(len(digits) + zeros, 1)
        number = number.normalize()
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
    return number


def written(number, grouped=True):
    """`number` as Vietnamese write it, without trailing zeros: 40843 → "40.843" (or "40843")."""
    grouping = 3 if grouped else 0
    return number_format(
        plain(number),
        ",",
        grouping=grouping,
        thousand_sep=".",
        force_grouping=grouped,
        use_l10n=False,
    )


def column_range(model_field):
    """The smallest and largest value `model_field`'s column holds on every database."""
    if isinstance(model_field, models.DecimalField):
        places = model_field.decimal_places
        largest = Decimal(10) ** (model_field.max_digits - places) - Decimal(10) ** -places
        return -largest, largest
    internal_type = model_field.get_internal_type()
    declared = BaseDatabaseOperations.integer_field_ranges.get(internal_type, (None, None))
    here = connection.ops.integer_field_range(internal_type)
    low = max((bound for bound in (declared[0], here[0]) if bound is not None), default=None)
    high = min((bound for bound in (declared[1], here[1]) if bound is not None), default=None)
    return low, high


class NumberInput(forms.TextInput):
    """A text box, not <input type="number">: browsers drop the comma of "3,2" there."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class NumberField(forms.Field):
    """A number written the Vietnamese way, kept within `min_value`…`max_value`.

    `decimal_places` is what the column keeps: a value with more is refused, not rounded.
    With a `unit` (e.g. BILLION) the editor types units and the column stores their value;
    `grouped=False` shows a year as "2016", not "2.016".
    """

    widget = NumberInput
    default_error_messages = {
        "max_value": "Số lớn nhất có thể lưu là %(limit)s.",
        "min_value": "Số nhỏ nhất có thể lưu là %(limit)s.",
        "decimal_places": "Số này có quá nhiều chữ số sau dấu phẩy: tối đa %(places)s.",
        "whole": "Hãy nhập một số nguyên (không có phần sau dấu phẩy).",
    }

    def __init__(
        self,
        *,
        min_value=None,
        max_value=None,
        decimal_places=0,
        unit=1,
        grouped=True,
        max_digits=None,
        **kwargs,
    ):
        self.min_value, self.max_value = min_value, max_value
        self.decimal_places, self.unit = decimal_places or 0, Decimal(unit)
        self.grouped = grouped
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)):
            return value  # already a stored value
        number = parse(value)
        if self.unit != 1:
            with localcontext() as exact:  # digits enough for the product: nothing is rounded
                exact.prec = len(number.as_tuple().digits) + len(self.unit.as_tuple().digits)
                number *= self.unit
        number = plain(number)
        if self.decimal_places == 0 and self.unit == 1:
            if number != number.to_integral_value():
                raise ValidationError(self.error_messages["whole"], code="whole")
            return int(number)
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.max_value is not None and value > self.max_value:
            self._refuse("max_value", self.max_value)
        if self.min_value is not None and value < self.min_value:
            self._refuse("min_value", self.min_value)
        exponent = plain(value).as_tuple().exponent  # every digit typed, not 28 of them
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            places = self.decimal_places + self.unit.adjusted()  # in the unit typed
            raise ValidationError(
                self.error_messages["decimal_places"],
                code="decimal_places",
                params={"places": places},
            )

    def _refuse(self, code, limit):
        raise ValidationError(
            self.error_messages[code], code=code, params={"limit": written(limit / self.unit)}
        )

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)):
            return written(Decimal(value) / self.unit, self.grouped)
        return value  # what the editor typed, as typed

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.decimal_places == 0 and self.unit == 1:
            attrs.update(inputmode="numeric", **{"class": "vIntegerField"})  # the admin's class
        else:
            attrs["class"] = "vNumberField"
        return attrs


def formfield(model_field, **kwargs):
    """The NumberField of a numeric model field, bounded by its column; None for others."""
    is_number = isinstance(model_field, (models.IntegerField, models.DecimalField))
    if not is_number or model_field.choices or isinstance(model_field, models.AutoField):
        return None
    low, high = column_range(model_field)
    defaults = {
        "form_class": NumberField,
        "min_value": low,
        "max_value": high,
        "decimal_places": getattr(model_field, "decimal_places", 0),
    }
    return model_field.formfield(**{**defaults, **kwargs})

"""Numbers as Vietnamese write them: read exactly, never rounded, written back the same way."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lechan.numbers import BILLION, NumberField, plain, written


def test_plain_and_written_keep_the_zeros_of_an_exponent():
    assert plain(Decimal("1E+3")) == 1000
    assert written(Decimal("2.5E+9")) == "2.500.000.000"
    assert written(Decimal("91.950")) == "91,95"


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        (NumberField(decimal_places=2), "1,5000000000000000000000000000000000001"),
        (NumberField(decimal_places=0, unit=BILLION), "1,0000000000000000000000000000000000001"),
    ],
    ids=["two places", "tỷ đồng"],
)
def test_a_number_with_more_digits_than_a_decimal_context_is_refused_not_rounded(field, typed):
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.code == "decimal_places"


def test_billions_typed_are_stored_exactly_in_dong():
    field = NumberField(decimal_places=0, unit=BILLION)
    assert field.clean("40.843") == 40_843_000_000_000
    assert field.clean("2,5") == 2_500_000_000

"""Template filters for Vietnamese dates and numbers, shared by every page."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.numberformat import format as number_format

register = template.Library()

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


@register.filter
def vn_dateline(value):
    """The date line as Vietnamese portals print it: "Thứ Năm, 15/10/2020 10:51"."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


@register.filter
def vn_date(value):
    """A date as "15/10/2020"."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


@register.filter
def vn_number(value):
    """A number the Vietnamese way, no trailing zeros: 40843 → "40.843", 91.95 → "91,95"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    number = number.normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return number_format(
        number, ",", grouping=3, thousand_sep=".", force_grouping=True, use_l10n=False
    )


@register.filter
def vn_billion(value):
    """An amount in đồng shown in tỷ đồng: 40843000000000 → "40.843 tỷ đồng"."""
    if value is None or value == "":
        return ""
    return f"{vn_number(Decimal(value) / 1_000_000_000)} tỷ đồng"


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)

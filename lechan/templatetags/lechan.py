"""Template filters and tags shared by every page: Vietnamese dates and numbers, page tools."""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from lechan import seo
from lechan.lists.views import page_number
from lechan.numbers import in_billions, written
from lechan.qr import qr_svg

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
def iso_datetime(value):
    """A local time in ISO 8601 to the second, with its offset: "2020-10-15T10:51:00+07:00".

    HTML's datetime attribute takes at most three digits of a second: "c" writes six.
    """
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.isoformat(timespec="seconds")


@register.filter
def vn_number(value):
    """A number the Vietnamese way, no trailing zeros: 40843 → "40.843", 91.95 → "91,95"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return written(number)


@register.filter
def vn_billion(value):
    """An amount in đồng shown in tỷ đồng: 40843000000000 → "40.843 tỷ đồng"."""
    if value is None or value == "":
        return ""
    return f"{vn_number(in_billions(value))} tỷ đồng"


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


# Page tools and metadata: QR code, share links, photos, JSON-LD.

BODY_SIZES = "(min-width: 72rem) 46rem, (min-width: 56rem) calc(100vw - 24rem), calc(100vw - 2rem)"
CARD_SIZES = "(min-width: 40rem) 10rem, 30vw"


@register.filter
def without(items, others):
    """`items` less those also in `others` (compared by primary key): latest|without:featured."""
    excluded = {item.pk for item in others or ()}
    return [item for item in items or () if item.pk not in excluded]


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's own address: a detail page's object, else the path with the page number
    and the filters that make a list of its own (the filterset's `canonical_parameters`,
    with their feeds and sitemap entries), other filters dropped.
    """
    request = context.get("request")
    if request is None:
        return ""
    obj = context.get("object")
    path = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else request.path
    if obj is None:
        kept = canonical_filters(context.get("filter"))
        page = page_number(request.GET.get("page"))
        if page and page > 1:
            kept["page"] = page
        if kept:
            path = f"{path}?{urlencode(kept)}"
    return request.build_absolute_uri(path)


def canonical_filters(filterset):
    """The valid values of the filterset's `canonical_parameters`, as they are written in a URL."""
    kept = {}
    if filterset is None or not filterset.is_valid():
        return kept
    for name in getattr(filterset, "canonical_parameters", ()):
        value = filterset.form.cleaned_data.get(name)
        if value:
            kept[name] = filterset.form.fields[name].prepare_value(value)
    return kept


@register.simple_tag
def qr_code(url):
    """Inline SVG QR code of an absolute `url`, from the cache once it has been drawn."""
    # segno escapes the title; the rest is markup it draws itself.
    return mark_safe(qr_svg(url))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def share_links(url):
    return seo.share_links(url)


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes=BODY_SIZES, eager=False, css_class=""):
    """A stored photo as <picture>: WebP and the original format, every rendition in srcset.

    Photos load lazily unless `eager` (the first one, at the top of the page).
    `sizes="card"` gives the width of a card's thumbnail.
    """
    return {
        "image": image,
        "file": image.image,
        "sizes": CARD_SIZES if sizes == "card" else sizes,
        "lazy": not eager,
        "class": css_class,
    }


@register.simple_tag
def first_photo(images):
    """The first image that has a file (captions without a photo are skipped)."""
    return next((image for image in images or () if image.image), None)


@register.simple_tag
def card_photo(obj):
    """The card's photo, only when the view prefetched `images`: a card never queries."""
    images = prefetched(obj, "images")
    return first_photo(images) if images is not None else None


def prefetched(obj, relation):
    """`obj`'s `relation` as the view prefetched it, or None if it did not.

    Django has no public way to ask whether a relation was prefetched: its prefetch
    cache is read here alone (Django is pinned in requirements.txt).
    """
    return getattr(obj, "_prefetched_objects_cache", {}).get(relation)

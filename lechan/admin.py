"""Admin pieces both apps share; the core registers no model of its own."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from lechan import search

EMPTY = "—"


def thumbnail(image_file, size=120, alt=""):
    """An <img> preview of an ImageField file, or "—" when no file is attached.

    Only the stored name is checked, not the storage: asking S3 whether each
    file exists would cost a request per row.
    """
    if not image_file:
        return EMPTY
    try:
        url = image_file.url
    except ValueError:
        return EMPTY
    return format_html(
        '<img src="{}" alt="{}" loading="lazy" style="max-width: {}px; max-height: {}px">',
        url,
        alt,
        size,
        size,
    )


class ThumbnailMixin:
    """A read-only `thumbnail` field for admins and inlines of models with `image` and `alt`."""

    thumbnail_size = 120

    @admin.display(description="xem trước")
    def thumbnail(self, obj):
        return thumbnail(obj.image, self.thumbnail_size, alt=obj.alt)


class FoldedSearchMixin:
    """Admin search through the site's search service: "le trung kien" finds "Lê Trung Kiên".

    Rows matched by the service are added to those Django's own search_fields
    find (so related names such as the speaker's still match).
    """

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search.parse(search_term):
            return found, may_have_duplicates
        matches = search.search(queryset.model._default_manager.all(), search_term)
        return (
            queryset.filter(Q(pk__in=matches.values("pk")) | Q(pk__in=found.values("pk"))),
            False,
        )

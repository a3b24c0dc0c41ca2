"""Admin pieces both apps share; the core registers no model of its own."""

from django.contrib import admin
from django.utils.html import format_html

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

"""Photos as readers get them: cleaned once at upload, with renditions made once and stored.

`RenditionImageField` is an `ImageField` that, when a new file is saved, applies the EXIF
orientation, drops GPS and other camera metadata, stores that cleaned original, then writes
the renditions beside it: widths for cards and the article body, each in the original's
format and in WebP, and a 1200×630 crop for OpenGraph. Pages only read the stored files;
nothing is resized per request.

Rendition names derive from the original's name and size, so no table keeps them:
`articles/2020/10/anh.jpg` → `anh.480w.jpg`, `anh.480w.webp`, …, `anh.og.jpg`. The stored
names follow the real format, whatever the uploaded file was called (a PNG named `.jpg` is
stored as `.png`). No rendition is taller than every output format can hold (WebP: 16,383
px), so a long infographic gets narrower renditions instead of an error.

Memory stays bounded: the full-size image is decoded once, for the stored original, and
released; the renditions come from a copy decoded or reduced to the size they need (JPEG's
`draft`, `reduce`). If anything fails, every file the save wrote is deleted and
`PhotoError` (with a Vietnamese message) is raised; the admin shows it on the form.

This module is the Django side (the field, and the names and URLs pages read); the pixels
are handled in `lechan.renditions`.
"""

import logging
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from lechan.renditions import (
    EXTENSIONS,
    OG_SIZE,  # noqa: F401 (the share image's size: pages that link it read it from here)
    clean_upload,
    note_stored,
    real_format,
    rebuild_renditions,
    release_memory,
    removed_on_error,
    rendition_name,
    rendition_size,
    rendition_widths,
    stored_name,
    write_renditions,
)
from lechan.uploads import SafeImageField

logger = logging.getLogger(__name__)

CARD_WIDTH = 480

FAILED = (
    "Không xử lý được ảnh “{name}” nên chưa lưu gì (nội dung bạn nhập vẫn còn dưới đây). "
    "Hãy thử lại; nếu vẫn lỗi, hãy lưu lại ảnh thành JPEG hoặc PNG rồi tải lên."
)


class PhotoError(ValueError):
    """A photo could not be cleaned or given its renditions; nothing of it was kept."""

    def __init__(self, upload, name):
        self.upload = upload  # the uploaded file, as the form received it
        self.message = FAILED.format(name=posixpath.basename(name))
        super().__init__(self.message)


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    url: str
    webp_url: str


class RenditionFieldFile(ImageFieldFile):
    def _size(self):
        field = self.field
        width = getattr(self.instance, field.width_field) if field.width_field else None
        height = getattr(self.instance, field.height_field) if field.height_field else None
        if not (width and height):
            width, height = self.width, self.height
        return width, height

    def _ext(self):
        """The fallback renditions' extension (the stored name follows the real format)."""
        ext = posixpath.splitext(self.name)[1].lower()
        return "png" if ext == ".png" else "jpg"

    @property
    def renditions(self):
        """The stored sizes, smallest first, as `Rendition`s (URLs only: no file is opened)."""
        if not self:
            return []
        width, height = self._size()
        storage, ext = self.storage, self._ext()
        return [
            Rendition(
                width=w,
                height=rendition_size((width, height), w)[1],
                url=storage.url(rendition_name(self.name, f"{w}w", ext)),
                webp_url=storage.url(rendition_name(self.name, f"{w}w", "webp")),
            )
            for w in rendition_widths(width, height)
        ]

    @property
    def largest(self):
        renditions = self.renditions
        return renditions[-1] if renditions else None

    @property
    def card(self):
        """The smallest rendition at least as wide as a card, or the largest there is."""
        renditions = self.renditions
        for rendition in renditions:
            if rendition.width >= CARD_WIDTH:
                return rendition
        return renditions[-1] if renditions else None

    @property
    def srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions)

    @property
    def webp_srcset(self):
        return ", ".join(f"{r.webp_url} {r.width}w" for r in self.renditions)

    @property
    def og_url(self):
        return self.storage.url(rendition_name(self.name, "og", "jpg")) if self else ""

    def rendition_names(self):
        names = [
            rendition_name(self.name, f"{w}w", ext)
            for w in rendition_widths(*self._size())
            for ext in (self._ext(), "webp")
        ]
        return [*names, rendition_name(self.name, "og", "jpg")]

    def follow_format(self):
        """Store the original again under its real format's name if it has another.

        For photos stored before names followed the format (a PNG kept as `anh.jpg`): the
        old files go, renditions are to be made again. True if the name changed (the caller
        stores the new name in the database).
        """
        old_name = self.name
        with self.storage.open(old_name, "rb") as stored:
            right_name = stored_name(old_name, real_format(stored))
            if right_name == old_name:
                return False
            stored.seek(0)
            self.name = self.storage.save(right_name, stored)
        # The old renditions, whichever extension their fallback was given.
        widths = rendition_widths(*self._size())
        old_names = {
            old_name,
            rendition_name(old_name, "og", "jpg"),
            *(rendition_name(old_name, f"{w}w", e) for w in widths for e in EXTENSIONS.values()),
        }
        for name in old_names - {self.name}:
            self.storage.delete(name)
        return True

    def make_renditions(self):
        """Rebuild the renditions from the stored original (for files stored before this field)."""
        return rebuild_renditions(self.storage, self.name)


def is_new_upload(file):
    """Whether the field's `file` is a file given to the model and not stored yet.

    Django says so only by FieldFile's private `_committed`, which its own FileField.pre_save
    reads; there is no public equivalent. Django is pinned (requirements.txt).
    """
    return bool(file) and not file._committed


class RenditionImageField(models.ImageField):
    """An ImageField whose new files are cleaned and given renditions once, when saved.

    In forms it is `lechan.uploads.SafeImageField`: only real, sane images get this far.
    """

    attr_class = RenditionFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if not is_new_upload(file):
            return super().pre_save(model_instance, add)
        upload, name = file.file, file.name
        try:
            with removed_on_error():
                return self._store(model_instance, add, file)
        except Exception as error:
            logger.exception("Không xử lý được ảnh %s", name)
            raise PhotoError(upload, name) from error
        finally:
            release_memory()

    def _store(self, model_instance, add, file):
        """Store the cleaned original, then its renditions; the full-size image is held once."""
        file.open("rb")
        file.seek(0)
        image_format, size, original, source = clean_upload(file)
        file.file = ContentFile(original, name=stored_name(file.name, image_format))
        file.name = file.file.name
        del original
        file = super().pre_save(model_instance, add)  # stores the cleaned original
        note_stored(file.storage, file.name)
        del file.file  # the encoded bytes; read again from storage if ever needed
        if self.width_field:
            setattr(model_instance, self.width_field, size[0])
        if self.height_field:
            setattr(model_instance, self.height_field, size[1])
        try:
            write_renditions(file.storage, file.name, source, image_format, size)
        finally:
            source.close()
        return file

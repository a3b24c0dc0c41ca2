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
"""

import contextlib
import ctypes
import io
import logging
import math
import posixpath
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from PIL import Image, ImageOps

from lechan.uploads import MAX_SIDE, ORIENTATION, SafeImageField

logger = logging.getLogger(__name__)

WIDTHS = (480, 960, 1440)  # cards; the article body on a phone; the body on a wide screen
CARD_WIDTH = 480
OG_SIZE = (1200, 630)
QUALITY = {"JPEG": 82, "WEBP": 80}
ORIGINAL_JPEG_QUALITY = 90
# EXIF kept on the stored original: who made it and when; never where (GPS) or which camera.
KEPT_EXIF_TAGS = {
    0x010E,  # ImageDescription
    0x013B,  # Artist
    0x0132,  # DateTime
    0x8298,  # Copyright
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# A rendition is stored in its fallback format and in WebP: it must fit both.
RENDITION_MAX_SIDE = min(MAX_SIDE["WEBP"], MAX_SIDE["JPEG"], MAX_SIDE["PNG"])
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


_stored = ContextVar("stored_photo_files", default=None)


@contextlib.contextmanager
def removed_on_error():
    """Every photo file stored inside is deleted again if an exception leaves the block.

    Blocks nest: what an inner block stored counts for the outer one once the inner succeeds
    (the admin wraps a whole save, so a photo saved before a failing one goes too).
    """
    outer = _stored.get()
    stored = []
    token = _stored.set(stored)
    try:
        yield stored
    except BaseException:
        for storage, name in reversed(stored):
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Không xóa được tệp ảnh %s", name)
        raise
    finally:
        _stored.reset(token)
    if outer is not None:
        outer.extend(stored)


def release_memory():
    """Give freed pixels back to the system now.

    glibc keeps large freed blocks inside the process (its threshold for returning them
    rises with each one freed), so a worker that decoded one big photo would stay big until
    recycled. `malloc_trim` returns them; elsewhere (musl, macOS) there is nothing to do.
    """
    if _libc is not None:
        _libc.malloc_trim(0)


def _load_libc():
    """The C library this Python runs on, if it has `malloc_trim` (glibc)."""
    try:
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # Windows has no process-wide symbol table
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_libc = _load_libc()


def _note_stored(storage, name):
    stored = _stored.get()
    if stored is not None:
        stored.append((storage, name))


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    url: str
    webp_url: str


def fallback_format(original_format):
    """The format a browser without WebP gets: PNG stays PNG, everything else is JPEG."""
    return "PNG" if original_format == "PNG" else "JPEG"


def rendition_widths(width, height=None):
    """The widths made for an original of `width`×`height` pixels.

    No rendition is enlarged, and none is taller than `RENDITION_MAX_SIDE`: a tall image
    gets narrower renditions. An image too narrow for even a 1 px one gets none (the upload
    refuses it).
    """
    if not width:
        return []
    widest = min(width, WIDTHS[-1])
    if height:
        widest = min(widest, RENDITION_MAX_SIDE * width // height)
    if widest < 1:
        return []
    return sorted({w for w in WIDTHS if w < widest} | {widest})


def rendition_size(size, width):
    """The size of the rendition `width` pixels wide of an original of `size`."""
    return width, max(1, round(size[1] * width / size[0]))


def rendition_name(name, suffix, ext):
    root, _ = posixpath.splitext(name)
    return f"{root}.{suffix}.{ext}"


def stored_name(name, image_format):
    """`name` with the extension of its real format (`anh.JPG`, PNG inside → `anh.png`)."""
    return f"{posixpath.splitext(name)[0]}.{EXTENSIONS[image_format]}"


def needed_size(size):
    """The smallest size of the original the renditions of an original of `size` need."""
    widths = rendition_widths(*size)
    width, height = rendition_size(size, widths[-1]) if widths else size
    scale = max(OG_SIZE[0] / size[0], OG_SIZE[1] / size[1])  # the OpenGraph crop covers
    width = max(width, math.ceil(size[0] * scale))
    height = max(height, math.ceil(size[1] * scale))
    return min(width, size[0]), min(height, size[1])


def reduced(image, size):
    """`image` shrunk by a whole factor (fast, little memory) but still at least `size`.

    The image given is closed (its pixels released) when a smaller one replaces it.
    """
    factor = min(image.width // size[0], image.height // size[1])
    if factor < 2:
        return image
    if image.mode not in ("RGB", "RGBA", "L"):
        converted = image.convert("RGBA" if image.has_transparency_data else "RGB")
        image.close()
        image = converted
    # In bands: reducing a transparent image premultiplies a copy of what it reduces.
    band = factor * 64
    smaller = Image.new(image.mode, (-(-image.width // factor), -(-image.height // factor)))
    for top in range(0, image.height, band):
        with image.crop((0, top, image.width, min(top + band, image.height))) as strip:
            smaller.paste(strip.reduce(factor), (0, top // factor))
    image.close()
    return smaller


def clean_original(image):
    """The image turned upright in place (EXIF orientation), metadata cut to `KEPT_EXIF_TAGS`."""
    exif = image.getexif()
    kept = Image.Exif()
    for tag in KEPT_EXIF_TAGS & set(exif):
        kept[tag] = exif[tag]
    info = {k: v for k, v in image.info.items() if k in ("icc_profile", "dpi")}
    ImageOps.exif_transpose(image, in_place=True)
    # Anything else in info (XMP, comments, thumbnails) could repeat the location: drop it.
    image.info = info
    return image, kept


def encode(image, image_format, **options):
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = flatten(image)
    elif image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    buffer = io.BytesIO()
    if image_format in QUALITY:
        options.setdefault("quality", QUALITY[image_format])
    if image.info.get("icc_profile"):
        options.setdefault("icc_profile", image.info["icc_profile"])
    options.setdefault("optimize", image_format != "WEBP")
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def flatten(image):
    """RGB on white, for formats without transparency."""
    if not image.has_transparency_data:
        return image.convert("RGB")
    image = image.convert("RGBA")
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def replace(storage, name, data):
    """Write `data` at exactly `name` (renditions are rebuilt in place)."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    _note_stored(storage, saved)
    return saved


def write_renditions(storage, name, image, original_format, size=None):
    """Store every rendition of `image` (upright) beside the original `name`.

    `size` is the original's size when `image` is a reduced copy of it (see `needed_size`).
    """
    size = size or image.size
    written = []
    fmt = fallback_format(original_format)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    # Largest first, each smaller one made from the one before rather than from the source.
    source = image
    for width in reversed(rendition_widths(*size)):
        target_size = rendition_size(size, width)
        scaled = source
        if target_size != source.size:
            scaled = source.resize(target_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        for image_format in (fmt, "WEBP"):
            target = rendition_name(name, f"{width}w", EXTENSIONS[image_format])
            written.append(replace(storage, target, encode(scaled, image_format)))
        source = scaled
    og = flatten(ImageOps.fit(image, OG_SIZE, Image.Resampling.LANCZOS))
    written.append(replace(storage, rendition_name(name, "og", "jpg"), encode(og, "JPEG")))
    return written


def clean_upload(file):
    """An upload's format, upright size, cleaned original (bytes), and a copy reduced to what
    the renditions need. The full-size pixels are decoded once and released before return."""
    image = Image.open(file)
    try:
        image_format = image.format
        if image_format not in EXTENSIONS:
            raise ValueError(f"{image_format} is not a photo format")
        image.load()
        image, exif = clean_original(image)
        # In one pass: optimizing would hold every coefficient of a large photo in memory,
        # to save a few percent of a file that readers do not download (renditions are).
        options = {"exif": exif.tobytes(), "optimize": False}
        if image_format == "JPEG":
            options["quality"] = ORIGINAL_JPEG_QUALITY
        original = encode(image, image_format, **options)
        size = image.size
        if image_format != "JPEG":
            source, image = reduced(image, needed_size(size)), None
    finally:
        if image is not None:
            image.close()
    if image_format == "JPEG":  # decoded again from the clean original, at a fraction of its size
        source = Image.open(io.BytesIO(original))
        source.draft(None, needed_size(size))
        source = reduced(source, needed_size(size))
    return image_format, size, original, source


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
            with Image.open(stored) as image:
                right_name = stored_name(old_name, image.format)
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
        with self.storage.open(self.name, "rb") as stored, Image.open(stored) as image:
            image_format = image.format
            turned = image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
            size = image.size[::-1] if turned else image.size
            need = needed_size(size)
            image.draft(None, need[::-1] if turned else need)
            image = ImageOps.exif_transpose(image)
        try:
            return write_renditions(
                self.storage, self.name, reduced(image, need), image_format, size
            )
        finally:
            image.close()
            release_memory()


class RenditionImageField(models.ImageField):
    """An ImageField whose new files are cleaned and given renditions once, when saved.

    In forms it is `lechan.uploads.SafeImageField`: only real, sane images get this far.
    """

    attr_class = RenditionFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if not file or file._committed:
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
        _note_stored(file.storage, file.name)
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

"""Photos as readers get them: cleaned once at upload, with renditions made once and stored.

`RenditionImageField` is an `ImageField` that, when a new file is saved, applies the EXIF
orientation, drops GPS and other camera metadata, stores that cleaned original, then writes
the renditions beside it: widths for cards and the article body, each in the original's
format and in WebP, and a 1200×630 crop for OpenGraph. Pages only read the stored files;
nothing is resized per request.

Rendition names derive from the original's name and size, so no table keeps them:
`articles/2020/10/anh.jpg` → `anh.480w.jpg`, `anh.480w.webp`, …, `anh.og.jpg`.
"""

import io
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from PIL import Image, ImageOps

from lechan.uploads import SafeImageField

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


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    url: str
    webp_url: str


def fallback_format(original_format):
    """The format a browser without WebP gets: PNG stays PNG, everything else is JPEG."""
    return "PNG" if original_format == "PNG" else "JPEG"


def rendition_widths(width):
    """The widths made for an original `width` pixels wide; no rendition is enlarged."""
    if not width:
        return []
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def rendition_name(name, suffix, ext):
    root, _ = posixpath.splitext(name)
    return f"{root}.{suffix}.{ext}"


def clean_original(image):
    """The image upright (EXIF orientation applied), its metadata reduced to `KEPT_EXIF_TAGS`."""
    exif = image.getexif()
    upright = ImageOps.exif_transpose(image)
    kept = Image.Exif()
    for tag in KEPT_EXIF_TAGS & set(exif):
        kept[tag] = exif[tag]
    # Anything else in info (XMP, comments, thumbnails) could repeat the location: drop it.
    upright.info = {k: v for k, v in image.info.items() if k in ("icc_profile", "dpi")}
    return upright, kept


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
    image.save(buffer, format=image_format, optimize=image_format != "WEBP", **options)
    return buffer.getvalue()


def flatten(image):
    """RGB on white, for formats without transparency."""
    image = image.convert("RGBA")
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def resize(image, width):
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def replace(storage, name, data):
    """Write `data` at exactly `name` (renditions are rebuilt in place)."""
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def write_renditions(storage, name, image, original_format):
    """Store every rendition of `image` (already upright) beside the original `name`."""
    written = []
    fmt = fallback_format(original_format)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    for width in rendition_widths(image.width):
        scaled = resize(image, width) if width < image.width else image
        for image_format in (fmt, "WEBP"):
            target = rendition_name(name, f"{width}w", EXTENSIONS[image_format])
            written.append(replace(storage, target, encode(scaled, image_format)))
    og = ImageOps.fit(flatten(image), OG_SIZE, Image.Resampling.LANCZOS)
    written.append(replace(storage, rendition_name(name, "og", "jpg"), encode(og, "JPEG")))
    return written


class RenditionFieldFile(ImageFieldFile):
    def _size(self):
        field = self.field
        width = getattr(self.instance, field.width_field) if field.width_field else None
        height = getattr(self.instance, field.height_field) if field.height_field else None
        if not (width and height):
            width, height = self.width, self.height
        return width, height

    def _ext(self):
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
                height=round(height * w / width),
                url=storage.url(rendition_name(self.name, f"{w}w", ext)),
                webp_url=storage.url(rendition_name(self.name, f"{w}w", "webp")),
            )
            for w in rendition_widths(width)
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
        width, _ = self._size()
        names = [
            rendition_name(self.name, f"{w}w", ext)
            for w in rendition_widths(width)
            for ext in (self._ext(), "webp")
        ]
        return [*names, rendition_name(self.name, "og", "jpg")]

    def make_renditions(self):
        """Rebuild the renditions from the stored original (for files stored before this field)."""
        with self.storage.open(self.name, "rb") as stored:
            image = Image.open(stored)
            image_format = image.format
            image = ImageOps.exif_transpose(image)
            image.load()
        return write_renditions(self.storage, self.name, image, image_format)


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
        file.open("rb")
        file.seek(0)
        with Image.open(file) as source:
            original_format = source.format
            source.load()
            image, exif = clean_original(source)
        options = {"exif": exif.tobytes()}
        if original_format == "JPEG":
            options["quality"] = ORIGINAL_JPEG_QUALITY
        stored_format = original_format if original_format in EXTENSIONS else "JPEG"
        name = file.name
        if stored_format != original_format:
            name = posixpath.splitext(name)[0] + ".jpg"
        file.file = ContentFile(encode(image, stored_format, **options), name=name)
        file.name = name
        file = super().pre_save(model_instance, add)  # stores the cleaned original
        if self.width_field:
            setattr(model_instance, self.width_field, image.width)
        if self.height_field:
            setattr(model_instance, self.height_field, image.height)
        write_renditions(file.storage, file.name, image, original_format)
        return file

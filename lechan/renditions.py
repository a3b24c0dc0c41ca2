"""The pixels of a photo: cleaning an upload, and making and storing its renditions (Pillow).

An upload is decoded once at full size, turned upright (EXIF orientation), cut to the EXIF
tags in `KEPT_EXIF_TAGS` and encoded again as the stored original; the renditions come from
a copy decoded or reduced to the size they need (JPEG's `draft`, `reduce`), each width in the
original's fallback format and in WebP, and a crop of `OG_SIZE` for OpenGraph. Freed pixels
are handed back to the system after each photo (`release_memory`).

Every file written inside `removed_on_error` is deleted again if the block fails, so a save
that fails halfway leaves nothing. The model field that calls all this is
`lechan.images.RenditionImageField`.
"""

import contextlib
import ctypes
import io
import logging
import math
import posixpath
from contextvars import ContextVar

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from lechan.uploads import MAX_SIDE, ORIENTATION

logger = logging.getLogger(__name__)

WIDTHS = (480, 960, 1440)  # cards; the article body on a phone; the body on a wide screen
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

# (storage, name) of each file stored inside the innermost removed_on_error block.
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


def note_stored(storage, name):
    """Count the file `name` among those removed_on_error deletes if the save fails."""
    stored = _stored.get()
    if stored is not None:
        stored.append((storage, name))


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
    note_stored(storage, saved)
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


def rebuild_renditions(storage, name):
    """Write the renditions of the original stored at `name` again, from that original."""
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        image_format = image.format
        turned = image.getexif().get(ORIENTATION) in (5, 6, 7, 8)
        size = image.size[::-1] if turned else image.size
        need = needed_size(size)
        image.draft(None, need[::-1] if turned else need)
        image = ImageOps.exif_transpose(image)
    try:
        return write_renditions(storage, name, reduced(image, need), image_format, size)
    finally:
        image.close()
        release_memory()


def real_format(file):
    """The image format of an open `file` (`JPEG`, `PNG`…), whatever its name says."""
    with Image.open(file) as image:
        return image.format

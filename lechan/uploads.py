"""What a photo upload must be before it is stored: a real image, of a sane size, and nothing else.

The file is judged by Pillow reading its bytes, never by its name or the browser's
content type. Refused, each with its own Vietnamese message: files over the size
limit, images with too many pixels (decompression bombs), SVG and other non-images,
formats other than JPEG, PNG and WebP, broken files, images too narrow for their height
to get renditions, and polyglots: an image with markup or script inside it, or with data
after its end (a ZIP or HTML appended). A JPEG is checked decoded at an eighth of its size
(every byte is still read): a large photo costs little memory to check.
What passes is then re-encoded by `lechan.images.RenditionImageField`, which also
drops GPS and camera data, so nothing but pixels reaches the media folder.

`UploadLimitHandler` keeps no byte of an upload past the size limit while the request is
read: a file too big reaches the form as its size alone, and is refused there.
"""

import io
import re
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from PIL import Image

FORMATS = {"JPEG", "PNG", "WEBP"}
# The largest width or height each format can hold (PNG: 2³¹ − 1).
MAX_SIDE = {"JPEG": 65_535, "PNG": 2**31 - 1, "WEBP": 16_383}
ORIENTATION = 0x0112  # EXIF: 5 to 8 turn the image a quarter, swapping width and height
# Markup a browser would run if the file were ever served or sniffed as HTML or SVG.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|svg|iframe|object|embed|\?php|!doctype)|javascript:", re.I
)
SVG_START = re.compile(rb"^\s*(?:<\?xml|<svg|<!--|<!doctype)", re.I)
# Bytes tolerated after an image's end (some encoders pad with zeros or a newline).
TRAILING_SLACK = 16

MESSAGES = {
    "too_big": "Tệp ảnh quá lớn ({size}); chỉ nhận tệp tối đa {limit}.",
    "too_many_pixels": (
        "Ảnh có quá nhiều điểm ảnh ({width}×{height}); tối đa {limit} triệu điểm ảnh. "
        "Hãy thu nhỏ ảnh rồi tải lên lại."
    ),
    "svg": "Không nhận ảnh SVG (có thể chứa mã chạy được). Hãy xuất ảnh ra JPEG hoặc PNG.",
    "not_image": "Tệp này không phải là ảnh (dù tên tệp là gì). Chỉ nhận JPEG, PNG hoặc WebP.",
    "format": "Không nhận ảnh định dạng {format}. Chỉ nhận JPEG, PNG hoặc WebP.",
    "too_narrow": (
        "Ảnh quá hẹp so với chiều cao ({width}×{height}): chiều cao chỉ được gấp tối đa "
        "{limit} lần chiều rộng. Hãy cắt ảnh thành nhiều phần rồi tải lên."
    ),
    "broken": "Tệp ảnh bị hỏng hoặc không đọc hết được. Hãy xuất lại ảnh rồi tải lên.",
    "markup": (
        "Tệp ảnh có chứa mã HTML hoặc script bên trong nên bị từ chối. "
        "Hãy mở ảnh bằng phần mềm chỉnh ảnh, lưu lại thành JPEG hoặc PNG rồi tải lên."
    ),
    "trailing": (
        "Tệp ảnh có dữ liệu lạ phía sau phần ảnh (có thể là tệp ghép) nên bị từ chối. "
        "Hãy lưu lại ảnh thành JPEG hoặc PNG rồi tải lên."
    ),
}


def _refuse(code, **params):
    return ValidationError(MESSAGES[code].format(**params), code=code)


def _jpeg_end(data):
    """After the EOI marker, walking the segments (thumbnails inside APP1 are skipped)."""
    i, n = 2, len(data)
    while i < n - 1:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
        elif marker == 0xD9:
            return i + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:
            i += 2
        else:
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
            if marker == 0xDA:  # entropy-coded data runs to the next real marker
                while i < n - 1 and not (
                    data[i] == 0xFF and data[i + 1] != 0 and not 0xD0 <= data[i + 1] <= 0xD7
                ):
                    i += 1
    return None


def _png_end(data):
    """After the IEND chunk, walking the chunks from the signature."""
    i, n = 8, len(data)
    while i + 8 <= n:
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        i += 12 + length
        if kind == b"IEND":
            return i
    return None


def image_end(data, image_format):
    """Where the image of `data` ends, by the format's own structure (None: not found)."""
    if image_format == "JPEG":
        return _jpeg_end(data)
    if image_format == "PNG":
        return _png_end(data)
    if image_format == "WEBP" and data[:4] == b"RIFF":
        size = 8 + int.from_bytes(data[4:8], "little")
        return size + size % 2
    return None


def check_image(data):
    """Raise ValidationError unless `data` (bytes) is an acceptable photo; returns its format."""
    max_bytes = settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES
    if len(data) > max_bytes:
        raise _refuse("too_big", size=filesizeformat(len(data)), limit=filesizeformat(max_bytes))
    if SVG_START.match(data[:1024]):
        raise _refuse("svg")
    max_pixels = settings.LECHAN_IMAGE_UPLOAD_MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            limit = max_pixels // 10**6
            raise _refuse("too_many_pixels", width="?", height="?", limit=limit) from None
        except Exception as error:
            raise _refuse("not_image") from error
        width, height = image.size
        if width * height > max_pixels:
            raise _refuse("too_many_pixels", width=width, height=height, limit=max_pixels // 10**6)
        if image.format not in FORMATS:
            raise _refuse("format", format=image.format)
        # Renditions are stored as WebP too: even a 1 px wide one must fit its height limit.
        seen = (width, height)
        if image.getexif().get(ORIENTATION) in (5, 6, 7, 8):
            seen = (height, width)
        if seen[1] > MAX_SIDE["WEBP"] * seen[0]:
            raise _refuse("too_narrow", width=seen[0], height=seen[1], limit=MAX_SIDE["WEBP"])
        if image.format == "JPEG":
            image.draft(None, (max(1, width // 8), max(1, height // 8)))
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(
                "too_many_pixels", width=width, height=height, limit=max_pixels // 10**6
            ) from None
        except Exception as error:
            raise _refuse("broken") from error
    if MARKUP.search(data):
        raise _refuse("markup")
    end = image_end(data, image.format)
    if end is None or len(data[end:].strip(b"\x00\r\n ")) > TRAILING_SLACK:
        raise _refuse("trailing")
    return image.format


class SafeImageField(forms.ImageField):
    """The admin's photo field: `check_image` first, then Django's own image checks."""

    def to_python(self, data):
        if data in self.empty_values:
            return super().to_python(data)
        limit = settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES
        if data.size > limit:
            raise _refuse("too_big", size=filesizeformat(data.size), limit=filesizeformat(limit))
        if hasattr(data, "temporary_file_path"):
            with open(data.temporary_file_path(), "rb") as file:
                content = file.read()
        else:
            data.seek(0)
            content = data.read()
        data.seek(0)
        check_image(content)
        return super().to_python(data)


class OversizeUpload(UploadedFile):
    """A file that went past LECHAN_IMAGE_UPLOAD_MAX_BYTES: its name and size, none of its bytes."""

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name, content_type, size)


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: keeps no file past LECHAN_IMAGE_UPLOAD_MAX_BYTES.

    It applies to every upload of the site, which takes photos only: a field for larger
    files (a PDF, say) would need its own limit here.

    The handlers after it (memory, temporary file) get the bytes up to the limit; past it
    their copy is dropped and the rest is only counted as it streams by, so that the
    fields after the file still arrive and the form shows its usual refusal.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) <= settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES:
            return raw_data
        if not self.too_big:
            self.too_big = True
            for handler in self.request.upload_handlers:
                if handler is not self and hasattr(handler, "file"):
                    handler.file.close()  # a temporary file is deleted as it closes
        return None

    def file_complete(self, file_size):
        if self.too_big:
            return OversizeUpload(self.file_name, self.content_type, file_size)
        return None

"""Photo uploads: real images only, sane sizes, no SVG or polyglots, no GPS; refusals explained."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from PIL import Image

from articles.models import ArticleImage
from lechan.uploads import check_image
from tests.editorial import open_change_form, save_change_form

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def encoded(image_format="JPEG", size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x013B] = "Duy Thinh"  # Artist: kept
    exif[0x010F] = "Máy ảnh X"  # Make: dropped
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (20.0, 51.0, 0.0), 3: "E", 4: (106.0, 41.0, 0.0)})
    return encoded("JPEG", exif=exif.tobytes())


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A tiny PNG whose header claims `width`×`height` pixels: a decompression bomb's header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def zipped():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "Nội dung giấu sau ảnh")
    return buffer.getvalue()


def truncated(data):
    return data[: len(data) * 3 // 4]


def jpeg_with_comment(comment):
    data = encoded("JPEG")
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
# (name, bytes, words of the Vietnamese message)
BAD_FILES = [
    ("svg-named-jpg", lambda: SVG, "Không nhận ảnh SVG"),
    ("bare-svg", lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Không nhận ảnh SVG"),
    ("html", lambda: b"<html><script>alert(1)</script></html>", "không phải là ảnh"),
    ("text", lambda: "Bài viết về quận Lê Chân".encode(), "không phải là ảnh"),
    ("pdf", lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "không phải là ảnh"),
    ("zip", zipped, "không phải là ảnh"),
    ("empty-ish", lambda: b"\x00" * 32, "không phải là ảnh"),
    ("gif", lambda: encoded("GIF"), "định dạng GIF"),
    ("bmp", lambda: encoded("BMP"), "định dạng BMP"),
    ("tiff", lambda: encoded("TIFF"), "định dạng TIFF"),
    ("truncated-jpeg", lambda: truncated(encoded("JPEG", size=(400, 300))), "bị hỏng"),
    ("bomb-header", lambda: png_claiming(100_000, 100_000), "quá nhiều điểm ảnh"),
    ("large-pixels", lambda: png_claiming(8_000, 6_000), "quá nhiều điểm ảnh"),
    ("jpeg-script-comment", lambda: jpeg_with_comment(b"<script>alert(1)</script>"), "mã HTML"),
    ("jpeg-php-comment", lambda: jpeg_with_comment(b"<?php system($_GET[1]); ?>"), "mã HTML"),
    ("jpeg-plus-html", lambda: encoded("JPEG") + b"<html><body>x</body></html>", "mã HTML"),
    ("jpeg-plus-zip", lambda: encoded("JPEG") + zipped(), "dữ liệu lạ"),
    ("png-plus-zip", lambda: encoded("PNG") + zipped(), "dữ liệu lạ"),
    ("webp-plus-zip", lambda: encoded("WEBP") + zipped(), "dữ liệu lạ"),
    ("png-plus-js", lambda: encoded("PNG") + b"javascript:alert(1)", "mã HTML"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_bad_file_is_refused_with_its_own_message(name, make, message):
    with pytest.raises(ValidationError) as refused:
        check_image(make())
    assert message in refused.value.messages[0]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_real_photos_are_accepted(image_format):
    assert check_image(encoded(image_format)) == image_format


def test_camera_jpeg_with_exif_and_thumbnail_is_accepted():
    assert check_image(jpeg_with_gps()) == "JPEG"


def test_size_limit(settings):
    settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES = 500
    with pytest.raises(ValidationError, match="Tệp ảnh quá lớn"):
        check_image(encoded("PNG", size=(300, 300)))


def test_pixel_limit_is_a_setting(settings):
    settings.LECHAN_IMAGE_UPLOAD_MAX_PIXELS = 1_000
    with pytest.raises(ValidationError, match="40×30"):
        check_image(encoded("PNG", size=(40, 30)))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_image(client, make_article, content, name="anh.jpg", caption="Quang cảnh đại hội"):
    article = make_article()
    _, data = open_change_form(client, article)
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile(name, content),
            "images-0-caption": caption,
            "images-0-alt_text": "Đại biểu dự đại hội",
            "images-0-credit": "Duy Thính",
            "images-0-position": "3",
            "images-0-order": "0",
        }
    )
    return article, save_change_form(client, article, data, title="Tiêu đề đã sửa")


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES[:1] + BAD_FILES[-4:])
def test_admin_refuses_the_file_and_keeps_the_rest_of_the_form(
    editor_client, make_article, media_root, name, make, message
):
    article, response = add_image(editor_client, make_article, make())
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Tiêu đề đã sửa"' in content
    assert 'value="Quang cảnh đại hội"' in content and 'value="Duy Thính"' in content
    assert not ArticleImage.objects.exists()
    article.refresh_from_db()
    assert article.title == "Bài viết thử"
    assert not any(media_root.rglob("*.*"))


def test_admin_stores_an_accepted_photo_without_gps(editor_client, make_article, media_root):
    article, response = add_image(editor_client, make_article, jpeg_with_gps())
    assert response.status_code == 302
    stored = ArticleImage.objects.get(article=article)
    with Image.open(stored.image.path) as image:
        exif = image.getexif()
        assert exif.get(0x013B) == "Duy Thinh"
        assert GPS_IFD not in exif and 0x010F not in exif
        assert not exif.get_ifd(GPS_IFD)


def test_admin_judges_by_content_not_by_name(editor_client, make_article, media_root):
    _, response = add_image(editor_client, make_article, SVG, name="anh-dep.png")
    assert "Không nhận ảnh SVG" in response.content.decode()
    _, response = add_image(editor_client, make_article, encoded("PNG"), name="anh.jpg")
    assert response.status_code == 302


@pytest.fixture
def kept_on_disk(monkeypatch):
    """How many bytes of the uploads the temporary-file handler was handed to keep."""
    kept = {"bytes": 0}
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def counted(handler, raw_data, start):
        kept["bytes"] += len(raw_data)
        return receive(handler, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counted)
    return kept


@pytest.fixture(params=["memory", "temporary-file"])
def upload_path(request, settings):
    """Each upload kept in memory, or in a temporary file as every photo over 2.5 MB is."""
    if request.param == "temporary-file":
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return request.param


def test_accepted_photo_is_stored_without_gps_by_either_upload_path(
    editor_client, make_article, media_root, upload_path, kept_on_disk
):
    article, response = add_image(editor_client, make_article, jpeg_with_gps())
    assert response.status_code == 302
    assert (kept_on_disk["bytes"] > 0) == (upload_path == "temporary-file")
    stored = ArticleImage.objects.get(article=article)
    files = [p for p in media_root.rglob("*.*") if p.suffix in (".jpg", ".webp")]
    assert stored.image.path in map(str, files) and len(files) > 1  # original and renditions
    for path in files:
        with Image.open(path) as image:
            exif = image.getexif()
            assert GPS_IFD not in exif and 0x010F not in exif, path.name


ADMIN_REFUSALS = [
    ("decompression-bomb", lambda: png_claiming(100_000, 100_000), "quá nhiều điểm ảnh"),
    ("html-named-jpg", lambda: b"<html><script>alert(1)</script></html>", "không phải là ảnh"),
    ("oversize", lambda: encoded("PNG", size=(300, 300)), "Tệp ảnh quá lớn"),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), ADMIN_REFUSALS, ids=[r[0] for r in ADMIN_REFUSALS]
)
def test_admin_refuses_bombs_html_and_oversize_files_by_either_upload_path(
    editor_client, make_article, media_root, settings, upload_path, name, make, message
):
    settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES = 500 if name == "oversize" else 10 * 1024 * 1024
    _, response = add_image(editor_client, make_article, make(), name="anh.jpg")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Tiêu đề đã sửa"' in page and 'value="Quang cảnh đại hội"' in page
    assert not ArticleImage.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_a_file_past_the_limit_is_not_kept_while_it_arrives(
    editor_client, make_article, media_root, settings, kept_on_disk
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # the path where a large photo lands on disk
    settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES = 100 * 1024
    content = encoded("PNG", size=(300, 300)) + b"\x00" * (600 * 1024)
    _, response = add_image(editor_client, make_article, content)
    assert 0 < kept_on_disk["bytes"] <= settings.LECHAN_IMAGE_UPLOAD_MAX_BYTES
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp ảnh quá lớn (" in page and "chỉ nhận tệp tối đa 100,0" in page
    # The fields sent after the file still arrived: the form comes back as filled.
    assert 'value="Quang cảnh đại hội"' in page and 'value="Duy Thính"' in page
    assert not ArticleImage.objects.exists()


# Long and wide photos, and a save that fails half-way: through the admin, as an editor would.

FORMAT_MAX_SIDE = {"JPEG": 65_535, "PNG": 2**31 - 1, "WEBP": 16_383}


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def assert_every_stored_image_fits_its_format(media_root):
    for path in stored_files(media_root):
        with Image.open(path) as image:
            assert max(image.size) <= FORMAT_MAX_SIDE[image.format], (path.name, image.size)
            image.load()  # and it decodes


@pytest.mark.parametrize(
    ("size", "image_format", "widths"),
    [
        ((1080, 20000), "JPEG", [480, 884]),  # an infographic: 960 px wide would be too tall
        ((20000, 1080), "JPEG", [480, 960, 1440]),
        ((30000, 300), "PNG", [480, 960, 1440]),  # a panorama strip
        ((200, 60000), "PNG", [54]),  # a very long strip still gets one rendition
    ],
    ids=["tall-jpeg", "wide-jpeg", "wide-png", "long-png"],
)
def test_admin_stores_tall_and_wide_photos_with_renditions_that_fit_every_format(
    editor_client, make_article, media_root, size, image_format, widths
):
    article, response = add_image(
        editor_client, make_article, encoded(image_format, size=size, quality=60)
    )
    assert response.status_code == 302
    stored = ArticleImage.objects.get(article=article)
    assert (stored.width, stored.height) == size
    assert [r.width for r in stored.image.renditions] == widths
    names = {stored.image.name, *stored.image.rendition_names()}
    assert {str(p.relative_to(media_root)) for p in stored_files(media_root)} == names
    assert_every_stored_image_fits_its_format(media_root)
    for rendition in stored.image.renditions:
        for url in (rendition.url, rendition.webp_url):
            with Image.open(media_root / url.removeprefix("/media/")) as image:
                assert image.size == (rendition.width, rendition.height)


def test_a_photo_too_narrow_for_any_rendition_is_refused_with_a_message(
    editor_client, make_article, media_root
):
    _, response = add_image(editor_client, make_article, encoded("PNG", size=(2, 40000)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ảnh quá hẹp so với chiều cao (2×40000)" in page
    assert 'value="Tiêu đề đã sửa"' in page and 'value="Quang cảnh đại hội"' in page
    assert not ArticleImage.objects.exists()
    assert not stored_files(media_root)


def test_a_photo_turned_by_its_exif_is_judged_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter: 40000×2 as stored, 2×40000 as seen
    with pytest.raises(ValidationError, match="2×40000"):
        check_image(encoded("JPEG", size=(40000, 2), exif=exif.tobytes()))


@pytest.fixture
def storage_fails_after(monkeypatch):
    """Make the media storage fail on its `n`-th write (a full disk, a lost bucket)."""
    from django.core.files.storage import FileSystemStorage

    save = FileSystemStorage.save

    def arm(n):
        calls = {"n": 0}

        def failing(storage, name, content, **kwargs):
            calls["n"] += 1
            if calls["n"] == n:
                raise OSError(28, "No space left on device")
            return save(storage, name, content, **kwargs)

        monkeypatch.setattr(FileSystemStorage, "save", failing)
        return calls

    return arm


FAILED = "Không xử lý được ảnh “anh.jpg” nên chưa lưu gì"


@pytest.mark.parametrize("failing_write", [1, 2, 5, 7])  # original, first rendition, …, OG
def test_a_failure_mid_renditions_leaves_no_file_and_shows_the_form_again(
    editor_client, make_article, media_root, storage_fails_after, failing_write
):
    calls = storage_fails_after(failing_write)
    article, response = add_image(editor_client, make_article, encoded("JPEG", size=(2000, 1000)))
    assert calls["n"] == failing_write
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(FAILED) == 2  # above the form, and on the photo's own field
    assert f'id="id_images-0-image_error"><li>{FAILED}' in page
    assert 'value="Tiêu đề đã sửa"' in page
    assert 'value="Quang cảnh đại hội"' in page and 'value="Duy Thính"' in page
    assert not stored_files(media_root)
    assert not ArticleImage.objects.exists()
    article.refresh_from_db()
    assert article.title == "Bài viết thử"


def test_a_failing_photo_takes_the_photos_saved_before_it_along(
    editor_client, make_article, media_root, monkeypatch
):
    """Two photos in one save: the second fails while encoding, the first's files go too."""
    from lechan import renditions

    encode = renditions.encode
    webp = {"n": 0}

    def failing(image, image_format, **options):
        webp["n"] += image_format == "WEBP"
        if webp["n"] == 4:  # the first photo has 3 WebP renditions: the second's first fails
            raise ValueError("encoder failed")
        return encode(image, image_format, **options)

    monkeypatch.setattr(renditions, "encode", failing)
    article = make_article()
    _, data = open_change_form(editor_client, article)
    data["images-TOTAL_FORMS"] = "2"
    for i, name in enumerate(["mot.jpg", "anh.jpg"]):
        data.update(
            {
                f"images-{i}-image": SimpleUploadedFile(name, encoded(size=(1600, 900))),
                f"images-{i}-alt_text": f"Ảnh {i}",
                f"images-{i}-position": "0",
                f"images-{i}-order": str(i),
            }
        )
    response = save_change_form(editor_client, article, data, title="Tiêu đề đã sửa")
    assert response.status_code == 200
    page = response.content.decode()
    assert FAILED in page and 'value="Ảnh 0"' in page and 'value="Ảnh 1"' in page
    assert f'id="id_images-1-image_error"><li>{FAILED}' in page
    assert 'id="id_images-0-image_error"' not in page
    assert not stored_files(media_root)
    assert not ArticleImage.objects.exists()


def test_a_failure_on_a_photo_s_own_page_shows_its_form_again(
    editor_client, make_article, media_root, storage_fails_after
):
    from tests.editorial import admin_url

    article = make_article()
    storage_fails_after(3)
    response = editor_client.post(
        admin_url(ArticleImage, "add"),
        {
            "article": article.pk,
            "image": SimpleUploadedFile("anh.jpg", encoded(size=(1200, 800))),
            "caption": "Quang cảnh đại hội",
            "alt_text": "Đại biểu",
            "position": "0",
            "order": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_image_error"><li>{FAILED}' in page and 'value="Quang cảnh đại hội"' in page
    assert not stored_files(media_root)
    assert not ArticleImage.objects.exists()


def test_a_failing_project_photo_shows_the_project_form_again(
    editor_client, make_project, media_root, storage_fails_after
):
    from projects.models import ProjectImage

    project = make_project()
    _, data = open_change_form(editor_client, project)
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile("anh.jpg", encoded(size=(1600, 900))),
            "images-0-caption": "Công trường",
            "images-0-alt_text": "Công trường ngày khởi công",
            "images-0-order": "0",
        }
    )
    storage_fails_after(4)
    response = save_change_form(editor_client, project, data, name="Tên đã sửa")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_images-0-image_error"><li>{FAILED}' in page
    assert 'value="Tên đã sửa"' in page and 'value="Công trường"' in page
    assert not stored_files(media_root)
    assert not ProjectImage.objects.exists()

import io
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags, Image

from articles.models import ArticleImage
from lechan import images
from projects.models import ProjectImage

pytestmark = pytest.mark.django_db
ORIENTATION, GPS = 0x0112, ExifTags.IFD.GPSInfo


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photo(size=(2000, 1000), image_format="JPEG", name="anh.jpg", orientation=None, gps=False):
    """A photo made in code: left half red, right half blue, with optional EXIF."""
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make: camera details are dropped too
    exif[0x013B] = "Duy Thinh"  # Artist (EXIF text is ASCII): kept
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS] = {1: "N", 2: (20.0, 51.0, 27.0), 3: "E", 4: (106.0, 41.0, 3.0)}
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def stored(media_root, name):
    return Image.open(media_root / name)


def test_upload_applies_exif_orientation_and_strips_gps(make_article, media_root):
    article = make_article()
    upload = photo(size=(600, 400), orientation=6, gps=True)  # 6: rotate 90° clockwise to view
    image = ArticleImage.objects.create(article=article, image=upload, alt_text="Ảnh thử")
    image.refresh_from_db()
    original = stored(media_root, image.image.name)
    assert original.size == (400, 600)
    assert (image.width, image.height) == (400, 600)
    exif = original.getexif()
    assert ORIENTATION not in exif
    assert GPS not in exif
    assert not exif.get_ifd(GPS)
    assert 0x010F not in exif
    assert exif[0x013B] == "Duy Thinh"
    # Upright: the red half, once on the left, is now on top.
    assert original.convert("RGB").getpixel((200, 50))[0] > 200


def test_upload_stores_renditions_in_the_original_format_and_webp(make_article, media_root):
    image = ArticleImage.objects.create(article=make_article(), image=photo(), alt_text="Ảnh")
    root = image.image.name.rsplit(".", 1)[0]
    for width in (480, 960, 1440):
        jpeg = stored(media_root, f"{root}.{width}w.jpg")
        webp = stored(media_root, f"{root}.{width}w.webp")
        assert (jpeg.format, webp.format) == ("JPEG", "WEBP")
        assert jpeg.size == webp.size == (width, width // 2)
        assert GPS not in webp.getexif()
    og = stored(media_root, f"{root}.og.jpg")
    assert og.size == (1200, 630)
    assert [r.width for r in image.image.renditions] == [480, 960, 1440]
    assert image.image.card.width == 480
    assert image.image.largest.url.endswith(".1440w.jpg")


def test_a_small_photo_is_never_enlarged_and_png_stays_png(make_article, media_root):
    upload = photo(size=(300, 200), image_format="PNG", name="so-do.png")
    image = ArticleImage.objects.create(article=make_article(), image=upload, alt_text="Sơ đồ")
    assert [r.width for r in image.image.renditions] == [300]
    root = image.image.name.rsplit(".", 1)[0]
    assert stored(media_root, f"{root}.300w.png").format == "PNG"
    assert stored(media_root, f"{root}.300w.webp").size == (300, 200)


def test_project_photos_get_renditions_too(make_project, media_root):
    image = ProjectImage.objects.create(
        project=make_project(), image=photo(), alt_text="Công trình"
    )
    assert (media_root / image.image.name.replace(".jpg", ".960w.webp")).exists()


def test_renditions_are_made_once_not_on_later_saves_or_page_views(
    client, make_article, media_root
):
    article = make_article(body="<p>Một.</p><p>Hai.</p>")
    image = ArticleImage.objects.create(article=article, image=photo(), alt_text="Ảnh", position=1)
    with mock.patch.object(images, "write_renditions") as write:
        image.caption = "Chú thích mới"
        image.save()
        assert client.get(article.get_absolute_url()).status_code == 200
    write.assert_not_called()


def test_article_page_serves_the_photo_as_a_picture_with_webp_and_sizes(client, make_article):
    article = make_article(body="<p>Một.</p><p>Hai.</p><p>Ba.</p>")
    top = ArticleImage.objects.create(
        article=article, image=photo(), alt_text="Toàn cảnh hội trường", position=0
    )
    ArticleImage.objects.create(
        article=article, image=photo(name="hai.jpg"), caption="Đại biểu dự họp", position=2
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count("<picture>") == 2
    assert '<source type="image/webp" srcset="' in page
    assert ".480w.webp 480w" in page and ".1440w.jpg 1440w" in page
    assert 'width="1440" height="720"' in page
    assert 'alt="Toàn cảnh hội trường"' in page
    assert 'alt="Đại biểu dự họp"' in page  # the caption stands in for a missing alt text
    # The first photo is at the top of the page; the one further down loads lazily.
    first = page.index(top.image.largest.url)
    assert page.count('loading="lazy"') == 1
    assert page.index('loading="lazy"') > first


def test_caption_only_figure_has_no_img(client, make_article):
    article = make_article()
    ArticleImage.objects.create(article=article, caption="Chỉ có chú thích", credit="Duy Thính")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Chỉ có chú thích" in page
    assert "<img" not in page.split('class="article-body"')[1].split("</div>")[0]


def test_renditions_can_be_rebuilt_from_the_stored_original(make_article, media_root):
    image = ArticleImage.objects.create(article=make_article(), image=photo(), alt_text="Ảnh")
    for name in image.image.rendition_names():
        (media_root / name).unlink()
    image.image.make_renditions()
    assert all((media_root / name).exists() for name in image.image.rendition_names())


def test_renditions_command_rebuilds_every_photo(make_article, make_project, media_root):
    images = [
        ArticleImage.objects.create(article=make_article(), image=photo(), alt_text="Ảnh"),
        ProjectImage.objects.create(project=make_project(), image=photo(), alt_text="Ảnh"),
        ArticleImage.objects.create(article=make_article(title="Bài 2"), caption="Chỉ chú thích"),
    ]
    for image in images[:2]:
        for name in image.image.rendition_names():
            (media_root / name).unlink()
    out = StringIO()
    call_command("renditions", stdout=out)
    assert "2 ảnh" in out.getvalue()
    for image in images[:2]:
        assert all((media_root / name).exists() for name in image.image.rendition_names())


ALT_REQUIRED = "Ảnh cần có văn bản thay thế"


@pytest.mark.parametrize("model", [ArticleImage, ProjectImage])
def test_a_photo_file_needs_alt_text_or_a_caption(make_article, make_project, model):
    from django.core.exceptions import ValidationError

    owner = {"article": make_article()} if model is ArticleImage else {"project": make_project()}
    bare = model(**owner, image=photo(), alt_text=" ", caption="")
    with pytest.raises(ValidationError) as refused:
        bare.full_clean()
    assert ALT_REQUIRED in refused.value.message_dict["alt_text"][0]
    model(**owner, image=photo(), alt_text="Toàn cảnh công trường").full_clean()
    model(**owner, image=photo(), caption="Công trường ngày khởi công").full_clean()


def test_a_caption_only_figure_needs_no_alt_text(make_article):
    ArticleImage(article=make_article(), caption="Chỉ có chú thích").full_clean()


def test_admin_refuses_a_photo_with_neither_alt_text_nor_caption(editor_client, make_article):
    from tests.editorial import open_change_form, save_change_form

    article = make_article()
    _, data = open_change_form(editor_client, article)
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": photo(),
            "images-0-credit": "Duy Thính",
            "images-0-position": "0",
            "images-0-order": "0",
        }
    )
    response = save_change_form(editor_client, article, data, title="Tiêu đề đã sửa")
    assert response.status_code == 200
    page = response.content.decode()
    assert ALT_REQUIRED in page
    assert 'value="Tiêu đề đã sửa"' in page and 'value="Duy Thính"' in page
    assert not ArticleImage.objects.exists()


def test_no_public_img_has_an_empty_alt(client, make_article, make_project):
    """The seed (with its caption-only figure) plus photos described by alt text or caption only."""
    import re

    from django.core.management import call_command
    from django.urls import reverse

    call_command("loaddata", "lechan", verbosity=0)
    article = make_article(title="Bài có ảnh", slug="bai-co-anh", is_featured=True)
    ArticleImage.objects.create(article=article, image=photo(), alt_text="Toàn cảnh hội trường")
    ArticleImage.objects.create(article=article, image=photo(), caption="Đại biểu dự họp")
    project = make_project(name="Dự án có ảnh", slug="du-an-co-anh")
    ProjectImage.objects.create(project=project, image=photo(), caption="Công trường")
    ProjectImage.objects.create(project=project, image=photo(), alt_text="Mặt bằng dự án")
    pages = [
        reverse("home"),
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("projects:list"),
        project.get_absolute_url(),
        *(i.article.get_absolute_url() for i in ArticleImage.objects.exclude(article=article)),
    ]
    imgs = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        imgs += re.findall(r"<img\b[^>]*>", response.content.decode())
    assert len(imgs) >= 4  # both photos of the article, both of the project
    for img in imgs:
        alt = re.search(r'\salt="([^"]*)"', img)
        assert alt and alt.group(1).strip(), img


@pytest.mark.parametrize(
    ("image_format", "name", "stored_ext", "fallback_ext"),
    [
        ("PNG", "so-do.jpg", "png", "png"),
        ("JPEG", "anh.png", "jpg", "jpg"),
        ("WEBP", "anh.JPG", "webp", "jpg"),
        ("JPEG", "anh.jpeg", "jpg", "jpg"),
    ],
)
def test_a_misnamed_photo_is_stored_and_linked_by_its_real_format(
    client, make_article, media_root, image_format, name, stored_ext, fallback_ext
):
    article = make_article()
    upload = photo(size=(1000, 500), image_format=image_format, name=name)
    image = ArticleImage.objects.create(article=article, image=upload, alt_text="Sơ đồ")
    assert image.image.name.endswith(f".{stored_ext}")
    assert stored(media_root, image.image.name).format == image_format
    expected = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
    for rendition in image.image.renditions:
        assert rendition.url.endswith(f".{fallback_ext}")
        for url in (rendition.url, rendition.webp_url):
            path = url.removeprefix("/media/")
            assert stored(media_root, path).format == expected[path.rsplit(".", 1)[1]], url
    stored_names = {str(p.relative_to(media_root)) for p in media_root.rglob("*.*")}
    assert stored_names == {image.image.name, *image.image.rendition_names()}
    page = client.get(article.get_absolute_url()).content.decode()
    assert image.image.largest.url in page and image.image.renditions[0].webp_url in page


def test_renditions_rebuilt_from_a_large_jpeg_match_those_made_at_upload(make_article, media_root):
    """The rebuild decodes the JPEG at a fraction of its size: same sizes, same names."""
    image = ArticleImage.objects.create(
        article=make_article(), image=photo(size=(6000, 4000)), alt_text="Ảnh"
    )
    sizes = {n: stored(media_root, n).size for n in image.image.rendition_names()}
    for name in sizes:
        (media_root / name).unlink()
    image.image.make_renditions()
    assert {n: stored(media_root, n).size for n in sizes} == sizes
    assert sizes[image.image.rendition_names()[-1]] == (1200, 630)


def test_renditions_command_renames_a_photo_stored_under_another_format_s_name(
    client, make_article, media_root
):
    """A PNG kept as `.jpg` before names followed the format: the command puts it right."""
    article = make_article()
    image = ArticleImage.objects.create(
        article=article, image=photo(image_format="PNG", name="so-do.png"), alt_text="Sơ đồ"
    )
    misnamed = image.image.name.replace(".png", ".jpg")
    (media_root / image.image.name).rename(media_root / misnamed)
    for name in image.image.rendition_names():
        (media_root / name).unlink()
    ArticleImage.objects.filter(pk=image.pk).update(image=misnamed)
    image.refresh_from_db()
    image.image.make_renditions()  # as before: `.png` renditions, linked as `.jpg`
    assert not (media_root / image.image.largest.url.removeprefix("/media/")).exists()

    call_command("renditions", stdout=StringIO())
    image.refresh_from_db()
    assert image.image.name.endswith(".png")
    assert stored(media_root, image.image.name).format == "PNG"
    stored_names = {str(p.relative_to(media_root)) for p in media_root.rglob("*.*")}
    assert stored_names == {image.image.name, *image.image.rendition_names()}
    page = client.get(article.get_absolute_url()).content.decode()
    assert image.image.largest.url in page


IMAGE_MODES = [
    ("PNG", "P"),
    ("PNG", "LA"),
    ("PNG", "1"),
    ("PNG", "I;16"),
    ("JPEG", "L"),
    ("JPEG", "CMYK"),
    ("WEBP", "RGBA"),
]


@pytest.mark.parametrize(
    ("image_format", "mode"), IMAGE_MODES, ids=[f"{f}-{m}" for f, m in IMAGE_MODES]
)
@pytest.mark.parametrize("size", [(3000, 1600), (600, 300)], ids=["reduced", "small"])
def test_every_kind_of_pixel_gets_its_renditions(
    make_article, media_root, image_format, mode, size
):
    source = Image.new("RGB", size, "red").convert(mode)
    if mode == "P":
        source.info["transparency"] = 0
    buffer = io.BytesIO()
    source.save(buffer, format=image_format)
    upload = SimpleUploadedFile("anh.png", buffer.getvalue())
    image = ArticleImage.objects.create(article=make_article(), image=upload, alt_text="Ảnh")
    assert stored(media_root, image.image.name).format == image_format
    for name in image.image.rendition_names():
        rendition = stored(media_root, name)
        rendition.load()
    assert stored(media_root, image.image.rendition_names()[-1]).size == (1200, 630)

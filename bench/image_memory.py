"""Memory of a worker taking a 40-megapixel photo upload: peak and after, against its baseline.

Usage (from the project root, inside the virtualenv):

    python bench/image_memory.py             # a JPEG and a PNG of about 40 megapixels
    python bench/image_memory.py --uploads 5 # each uploaded 5 times by the same worker

Each photo is uploaded in a fresh process, as one worker would take it: the photo's own
admin form (`ArticleImage` add) through Django's full stack, so the upload checks, the
cleaned original and every rendition are made as in production (SQLite file database and
media folder in a temporary directory). The process first takes one small photo, so that
every module is loaded; its resident size (RSS) then is the baseline. For each upload it
reports the peak RSS during the request (the kernel's high-water mark, reset before it)
and the RSS after it, in MB and as multiples of the baseline. A worker that keeps the
photo's pixels shows an "after" that grows with each upload.
"""

import argparse
import gc
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# About 40 megapixels each: a camera's 7296×5472 JPEG, a square PNG map, the same with
# transparency (4 bytes a pixel decoded, the worst case).
PHOTOS = {"JPEG": (7296, 5472), "PNG": (6320, 6320), "PNG RGBA": (6320, 6320)}


def rss_mb(field="VmRSS"):
    """The process's resident size (or its high-water mark, `VmHWM`) in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak():
    """Start the high-water mark again from the current RSS (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def make_photo(kind, size):
    """A picture of `size` under the 10 MB upload limit: gradients and shapes, with grain for
    the JPEG (a photo), posterized for the PNG (a map or a screenshot)."""
    from PIL import Image, ImageDraw, ImageOps

    image_format = kind.split()[0]

    image = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(size),
            Image.radial_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
        ],
    )
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0], 400):
        draw.rectangle((i, i // 2, i + 300, i // 2 + 900), fill=(i % 255, 90, 160))
    if image_format == "JPEG":
        noise = Image.effect_noise((size[0] // 2, size[1] // 2), 40).resize(size)
        image = Image.blend(image, Image.merge("RGB", [noise] * 3), 0.15)
    else:
        image = ImageOps.posterize(image, 3)
    if kind.endswith("RGBA"):
        image.putalpha(Image.radial_gradient("L").resize(size))
    buffer = io.BytesIO()
    options = {"quality": 85} if image_format == "JPEG" else {"compress_level": 6}
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def measure(photo_path, uploads):
    """In this process: set Django up, take a small photo, then the large one `uploads` times."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from PIL import Image

    from articles.models import Article, ArticleImage

    user = get_user_model().objects.create_superuser("bench", password="bench-pass-1")  # noqa: S106
    article = Article.objects.create(title="Bài đo bộ nhớ", lead="Đo.", body="<p>Đo.</p>")
    client = Client()
    client.force_login(user)
    url = reverse("admin:articles_articleimage_add")

    def upload(name, content):
        data = {"article": article.pk, "alt_text": "Ảnh đo", "position": "0", "order": "0"}
        data["image"] = SimpleUploadedFile(name, content)
        response = client.post(url, data, secure=True)
        assert response.status_code == 302, (response.status_code, response.content[-3000:])

    small = io.BytesIO()
    Image.new("RGB", (1600, 1200), "teal").save(small, format="JPEG")
    upload("nho.jpg", small.getvalue())
    content = Path(photo_path).read_bytes()
    gc.collect()
    baseline = rss_mb()
    rows = []
    for i in range(uploads):
        reset_peak()
        upload(f"anh-{i}{Path(photo_path).suffix}", content)
        peak = rss_mb("VmHWM")
        gc.collect()
        rows.append({"peak": peak, "after": rss_mb()})
    stored = ArticleImage.objects.count()
    return {"baseline": baseline, "uploads": rows, "stored": stored}


def run_case(kind, size, uploads, workdir, database):
    slug = kind.lower().replace(" ", "-")
    photo = workdir / f"{slug}.{kind.split()[0].lower()}"
    photo.write_bytes(make_photo(kind, size))
    media = workdir / f"media-{slug}"
    db = workdir / f"{slug}.sqlite3"
    shutil.copy(database, db)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(media)}
    result = subprocess.run(  # noqa: S603 (this script, this Python)
        [sys.executable, __file__, "--child", str(photo), "--uploads", str(uploads)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(result.stderr)
    return photo.stat().st_size, json.loads(result.stdout.splitlines()[-1])


def report(kind, size, file_size, result):
    baseline = result["baseline"]
    megapixels = size[0] * size[1] / 1e6
    print(
        f"\n{kind} {size[0]}×{size[1]} ({megapixels:.1f} MP, {file_size / 2**20:.1f} MB)"
        f" — baseline RSS {baseline:.0f} MB"
    )
    print(f"{'upload':>8} {'peak MB':>9} {'× base':>7} {'after MB':>9} {'× base':>7}")
    for i, row in enumerate(result["uploads"], 1):
        print(
            f"{i:>8} {row['peak']:>9.0f} {row['peak'] / baseline:>7.2f}"
            f" {row['after']:>9.0f} {row['after'] / baseline:>7.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=3, help="uploads of each photo")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lechan.settings"
    os.environ.setdefault("DJANGO_DEBUG", "1")  # static files from the apps: no collectstatic
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    if args.child:
        print(json.dumps(measure(args.child, args.uploads)))
        return
    with tempfile.TemporaryDirectory(prefix="image-memory-") as tmp:
        workdir = Path(tmp)
        database = workdir / "template.sqlite3"
        subprocess.run(  # noqa: S603 (manage.py)
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
            env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
            check=True,
        )
        print(f"Photo uploads through the admin, {args.uploads} per worker (RSS in MB)")
        for kind, size in PHOTOS.items():
            file_size, result = run_case(kind, size, args.uploads, workdir, database)
            report(kind, size, file_size, result)


if __name__ == "__main__":
    main()

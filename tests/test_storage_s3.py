"""Media on S3-compatible storage, set up by environment variables as the README says: a photo
uploaded in the admin and its renditions land in the bucket, and pages link to the storage.

The storage is moto's S3 server (moto[server], in requirements-dev.txt) on 127.0.0.1.
"""

import json
import re
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from articles.models import ArticleImage
from tests.editorial import open_change_form, save_change_form
from tests.fresh import settings_read
from tests.lechan.test_images import photo

BUCKET = "lechan-media"
KEYS = {"AWS_ACCESS_KEY_ID": "lechan-test", "AWS_SECRET_ACCESS_KEY": "lechan-test-secret"}

# Readers' browsers load the photos without keys (README: "objects readable by all").
READABLE_BY_ALL = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}

SETTINGS_OF = """
import json
from lechan import settings as s
print(json.dumps({
    "storage": s.STORAGES["default"], "media_url": s.MEDIA_URL, "img_src": s.LECHAN_CSP["img-src"],
}))
"""


def settings_with(**env):
    """The media settings a fresh process reads from `env` alone."""
    return settings_read(SETTINGS_OF, ("DJANGO_", "LECHAN_S3_", "AWS_", "MEDIA_ROOT"), **env)


def test_without_a_bucket_media_stay_on_the_file_system():
    found = settings_with()
    assert found["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["media_url"] == "media/"
    assert found["img_src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    ("env", "media_url", "origin"),
    [
        (
            {"LECHAN_S3_ENDPOINT_URL": "https://s3.example/"},
            "https://s3.example/lechan-media/",
            "https://s3.example",
        ),
        (
            {
                "LECHAN_S3_ENDPOINT_URL": "https://s3.example",
                "LECHAN_S3_CUSTOM_DOMAIN": "media.lechan.example",
            },
            "https://media.lechan.example/",
            "https://media.lechan.example",
        ),
        ({}, "https://lechan-media.s3.amazonaws.com/", "https://lechan-media.s3.amazonaws.com"),
    ],
    ids=["endpoint", "custom-domain", "aws"],
)
def test_a_bucket_named_in_the_environment_holds_the_media(env, media_url, origin):
    found = settings_with(LECHAN_S3_BUCKET=BUCKET, **env)
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["storage"]["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["querystring_auth"] is False
    assert found["media_url"] == media_url
    assert found["img_src"] == ["'self'", "data:", origin]


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch):
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(READABLE_BY_ALL))
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture(params=["endpoint", "custom-domain"])
def s3_media(request, s3_server, bucket, settings):
    """The site's media settings as LECHAN_S3_* give them, in this process."""
    env = {"LECHAN_S3_BUCKET": BUCKET, "LECHAN_S3_ENDPOINT_URL": s3_server}
    if request.param == "custom-domain":  # a proxy in front of the bucket, here the same server
        env["LECHAN_S3_CUSTOM_DOMAIN"] = f"{s3_server}/{BUCKET}"
    found = settings_with(**env)
    settings.STORAGES = {**settings.STORAGES, "default": found["storage"]}
    settings.MEDIA_URL = found["media_url"]
    settings.LECHAN_CSP = {**settings.LECHAN_CSP, "img-src": found["img_src"]}
    return found["media_url"]


def upload(client, article):
    _, data = open_change_form(client, article)
    upload = photo(size=(2000, 1000))
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile("anh-dai-hoi.jpg", upload.read()),
            "images-0-caption": "Quang cảnh đại hội",
            "images-0-alt_text": "Đại biểu dự đại hội",
            "images-0-credit": "Duy Thính",
            "images-0-position": "1",
            "images-0-order": "0",
        }
    )
    return save_change_form(client, article, data)


def test_an_uploaded_photo_and_its_renditions_are_in_the_bucket_and_pages_link_there(
    editor_client, make_article, bucket, s3_media, s3_server
):
    article = make_article(body="<p>Một.</p><p>Hai.</p>")
    assert upload(editor_client, article).status_code == 302
    image = ArticleImage.objects.get(article=article).image
    stored = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert stored == {image.name, *image.rendition_names()}
    assert len(stored) == 1 + 3 * 2 + 1  # original, 3 widths × (JPEG, WebP), OpenGraph

    response = editor_client.get(article.get_absolute_url())
    page = response.content.decode()
    linked = set(re.findall(re.escape(s3_media) + r"[^\s\"',]+", page))
    assert "/media/" not in page
    assert {s3_media + name for name in image.rendition_names()} <= linked
    img_src = next(p for p in response["Content-Security-Policy"].split("; ") if "img-src" in p)
    assert img_src.split() == ["img-src", "'self'", "data:", s3_server]
    for url in linked:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the local server)
            assert answer.headers["Content-Type"].startswith("image/"), url

"""Data safety: a dumpdata / flush / loaddata round trip reproduces the whole site exactly.

The dump is the backup the README describes for moving between databases: every app's
rows, with users, groups, content types and permissions referred to by natural key
(`migrate` makes content types, permissions and the editorial groups again, so a restore
must match them by name, not by id; sessions and the admin's log are left out). It is XML:
Django's JSON rounds times to the millisecond, and the pages would show the difference.
"""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from articles.models import Article, ArticleImage, KeyFigure, Tag
from lechan import search
from projects.models import Project, ProjectMilestone
from tests.seed import SEED_ARTICLE

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
PAGES = [
    "/",
    "/tin-tuc/",
    SEED_ARTICLE,
    "/du-an/",
    "/du-an/duong-ho-sen-cau-rao-2/",
    "/tim-kiem/?q=ho+sen",
    "/tin-tuc/rss/",
    "/sitemap.xml",
]


def dump(path=None):
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDE,
        natural_foreign=True,
        natural_primary=True,
        format="xml",
        indent=1,
        stdout=out,
        **({"output": str(path)} if path else {}),
    )
    return path.read_text() if path else out.getvalue()


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile("anh-thu.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def site(transactional_db, settings, tmp_path, django_user_model, make_article, make_project):
    """The seed, plus what editors add: a user in a group, photos, tags, figures, milestones."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddata", "lechan", verbosity=0)
    editor = django_user_model.objects.create_user("phongvien", "pv@example.com", "x-pass-1")
    group, _ = Group.objects.get_or_create(name="Nhóm thử sao lưu")
    group.permissions.add(Permission.objects.get(codename="change_article"))
    editor.groups.add(group)
    project = make_project(name="Cải tạo hồ An Biên", area_ha="4.25", start_year=2019)
    ProjectMilestone.objects.create(project=project, date="2020-05-01", note="Khởi công")
    article = make_article(title="Đường Hồ Sen – Cầu Rào 2 thông xe", lead="Sapo có dấu: đường.")
    article.tags.add(Tag.objects.create(name="Giao thông"))
    article.projects.add(project)
    KeyFigure.objects.create(article=article, label="Chiều dài", value="2.4", unit="km")
    ArticleImage.objects.create(article=article, image=photo(), alt_text="Ảnh thử", caption="Chú")
    return editor


def test_dump_flush_and_load_reproduce_the_whole_site(site, tmp_path):
    client = Client()
    before = {url: client.get(url).content for url in PAGES}
    assert all(before.values())
    backup = tmp_path / "lechan-backup.xml"
    original = dump(backup)
    for label in ("articles.article", "projects.project", "auth.user", "auth.group"):
        assert f'model="{label}"' in original

    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists()
    assert not Project.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    assert dump() == original
    assert {url: client.get(url).content for url in PAGES} == before
    # The search index follows the loaded rows.
    found = search.search(Article.objects.published(), "ho sen cau rao")
    assert found.filter(title="Đường Hồ Sen – Cầu Rào 2 thông xe").exists()
    # Permissions by natural key, whatever their new ids.
    restored = type(site).objects.get(username="phongvien")
    assert restored.check_password("x-pass-1")
    assert restored.has_perm("articles.change_article")
    # The photo's file is where the row says (media are backed up beside the database).
    image = ArticleImage.objects.get(alt_text="Ảnh thử")
    assert image.image.storage.exists(image.image.name)


def test_new_items_can_be_added_after_a_restore(site, tmp_path, make_article, make_project):
    backup = tmp_path / "lechan-backup.xml"
    dump(backup)
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(backup), verbosity=0)
    # Sequences were moved past the loaded ids: no clash on the next insert.
    article = make_article(title="Bài sau khi khôi phục")
    project = make_project(name="Dự án sau khi khôi phục")
    assert article.pk > Article.objects.exclude(pk=article.pk).latest("pk").pk
    assert project.pk > Project.objects.exclude(pk=project.pk).latest("pk").pk

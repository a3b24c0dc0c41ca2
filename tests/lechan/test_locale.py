"""The Vietnamese catalogue in locale/: compiled, complete, and what an editor sees in the admin."""

import json
import re
from pathlib import Path

import axes
import django
import django_prose_editor
import polib
import pytest
import reversion
from axes.models import AccessLog
from django.apps import apps
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.i18n import JSONCatalog

from articles.models import Article
from tests.editorial import admin_url, form_data

CATALOGUES = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
DJANGO = Path(django.__file__).parent
# Django's English catalogues of the apps whose text an editor or reader sees, then the
# two libraries', whose msgids are the same in every language they ship.
ENGLISH = [
    DJANGO / "conf/locale/en/LC_MESSAGES/django.po",
    *(
        DJANGO / f"contrib/{app}/locale/en/LC_MESSAGES/django.po"
        for app in ("admin", "auth", "contenttypes", "humanize")
    ),
    Path(reversion.__file__).parent / "locale/de/LC_MESSAGES/django.po",
    Path(axes.__file__).parent / "locale/de/LC_MESSAGES/django.po",
]
ENGLISH_JS = DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
PROSE_EDITOR = Path(django_prose_editor.__file__).parent

# The same in Vietnamese, so gettext rightly gives the msgid back.
SAME_IN_VIETNAMESE = {
    ":?.!",  # punctuation that ends a sentence (Truncator)
    ":",  # label suffix
    ", ",  # list separator
    "…",  # the elided pages of a paginator
    "%(truncated_text)s…",  # a truncated text
    "%(size)d byte",  # "byte" is the Vietnamese unit too
    "%s KB",
    "%s MB",
    "%s GB",
    "%s TB",
    "%s PB",
    "a.m.",  # Django's vi catalogue keeps these; our times are 24-hour ("H:i")
    "p.m.",
    "IPv4",
    "IPv6",
    "Email",  # the word Vietnamese uses
    "ID",  # AutoField's verbose name
    "%(class_name)s %(instance)s",  # only placeholders
    "DATETIME_FORMAT",  # a format name in old django-reversion templates, never shown
}


def translate(entry):
    """What Django gives under the active language for one catalogue entry."""
    if entry.msgid_plural:
        if entry.msgctxt:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
        return translation.ngettext(entry.msgid, entry.msgid_plural, 1)
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


def entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def ours(domain):
    return entries(CATALOGUES / f"{domain}.po")


def msgstr(entry):
    return entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr


def js_catalog():
    """The admin's JavaScript catalogue under Vietnamese, as /admin/jsi18n/ builds it."""
    request = RequestFactory().get("/")
    with translation.override("vi"):
        response = JSONCatalog.as_view(packages=["django.contrib.admin"])(request)
    return json.loads(response.content)["catalog"]


def js_key(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(text):
    return sorted(re.findall(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}", text))


def test_our_catalogue_fills_gaps_without_bending_placeholders():
    for entry in ours("django") + ours("djangojs"):
        assert msgstr(entry), entry.msgid
        assert "fuzzy" not in entry.flags, entry.msgid
        assert placeholders(msgstr(entry)) == placeholders(entry.msgid), entry.msgid
        assert msgstr(entry) != entry.msgid or entry.msgid in SAME_IN_VIETNAMESE


def test_compiled_django_catalogue_is_not_stale():
    with translation.override("vi"):
        given = {e.msgid: translate(e) for e in ours("django")}
    assert given == {e.msgid: msgstr(e) for e in ours("django")}


def test_compiled_javascript_catalogue_is_not_stale():
    catalog = js_catalog()
    for entry in ours("djangojs"):
        value = catalog.get(js_key(entry))
        if entry.msgid_plural:
            value = value and value[0]
        assert value == msgstr(entry), entry.msgid


NAMES = ["django", "admin", "auth", "contenttypes", "humanize", "reversion", "axes"]


@pytest.mark.parametrize("path", ENGLISH, ids=NAMES)
def test_every_message_of_django_and_the_libraries_has_vietnamese(path):
    with translation.override("vi"):
        english = [e for e in entries(path) if translate(e) == e.msgid]
    assert [e.msgid for e in english if e.msgid not in SAME_IN_VIETNAMESE] == []


def test_every_message_of_the_admin_javascript_has_vietnamese():
    catalog = js_catalog()
    english = [e.msgid for e in entries(ENGLISH_JS) if catalog.get(js_key(e)) in (None, e.msgid)]
    assert english == []


def prose_editor_messages():
    """What the rich-text editor shows: its catalogue's messages and its menu's English labels.

    The labels are written into its script (static/js/prose-editor-vi.js translates them).
    """
    messages = {e.msgid for e in entries(PROSE_EDITOR / "locale/de/LC_MESSAGES/djangojs.po")}
    script = (PROSE_EDITOR / "static/django_prose_editor/editor.js").read_text()
    labels = re.findall(r'\.material\("\w*","([^"]+)"\)', script)  # tooltips
    labels += re.findall(r'\("p",\{textContent:"([^"]+)"\}', script)  # block-type names
    assert {"bold", "italic", "insert link", "undo", "Paragraph"} <= set(labels)
    assert "textContent:`Heading ${" in script
    return sorted({*messages, *labels, "Heading %s", "question_mark"})


def test_every_message_of_the_rich_text_editor_has_vietnamese():
    catalog = js_catalog()
    assert [m for m in prose_editor_messages() if catalog.get(m) in (None, m)] == []


def test_axes_models_read_in_vietnamese():
    """Names axes passes to gettext but leaves out of its own catalogues."""
    texts = []
    for model in apps.get_app_config("axes").get_models():
        texts += [model._meta.verbose_name, model._meta.verbose_name_plural]
        texts += [f.verbose_name for f in model._meta.fields]
        texts += [f.help_text for f in model._meta.fields if f.help_text]
    for text in texts:
        with translation.override("en"):
            english = str(text)
        with translation.override("vi"):
            assert str(text) != english or english in SAME_IN_VIETNAMESE, english


# The page: English an editor saw before this catalogue, and the Vietnamese now in its place.
def english_left(content):
    """Phrases of our catalogue (several words, no placeholder) a page still shows in English."""
    phrases = [e.msgid for e in ours("django") if " " in e.msgid and not placeholders(e.msgid)]
    return [p for p in phrases if p in content]


@pytest.fixture
def article(make_article):
    return make_article(title="Lê Chân đổi mới", slug="le-chan-doi-moi")


def test_change_form_posted_with_an_error_reads_in_vietnamese(editor_client, article):
    data = form_data(editor_client.get(admin_url(article, "change", article.pk)), "article_form")
    response = editor_client.post(admin_url(article, "change", article.pk), {**data, "title": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Lỗi: " in content and "Error:" not in content
    assert "Hãy sửa lỗi bên dưới." in content
    assert "Please correct the error" not in content
    assert english_left(content) == []


def test_changelist_reads_in_vietnamese(editor_client, article):
    content = editor_client.get(admin_url(article, "changelist")).content.decode()
    assert "Chuyển đến nội dung chính" in content and "Skip to main content" not in content
    assert "Chọn tất cả đối tượng trên trang này để thực hiện hành động" in content
    assert "Lọc các mục điều hướng" in content and "Filter navigation items" not in content
    assert english_left(content) == []


def test_history_page_reads_in_vietnamese(editor_client, article):
    content = editor_client.get(admin_url(article, "history", article.pk)).content.decode()
    assert "Chuyển đến nội dung chính" in content
    assert english_left(content) == []


def test_access_log_list_reads_in_vietnamese(editor_client, editor):
    AccessLog.objects.create(
        username="bientap", ip_address="10.0.0.7", user_agent="Firefox", path_info="/quan-tri/"
    )
    content = editor_client.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert "Nhật ký truy cập" in content and "Access logs" not in content
    assert "Thời điểm đăng nhập" in content and "Attempt Time" not in content
    assert "Trình duyệt" in content and "User Agent" not in content
    assert english_left(content) == []


def test_user_change_form_reads_in_vietnamese(editor_client, editor):
    content = editor_client.get(admin_url(editor, "change", editor.pk)).content.decode()
    assert "Mật khẩu gốc không được lưu lại" in content
    assert "Raw passwords are not stored" not in content
    # Permission names are rows Django wrote in English ("Can add access log"), not messages.
    content = re.sub(r'<select name="user_permissions".*?</select>', "", content, flags=re.S)
    assert english_left(content) == []


def test_admin_javascript_names_the_days_in_vietnamese(editor_client):
    content = editor_client.get(reverse("admin:jsi18n")).content.decode()
    assert json.dumps("Chủ nhật") in content


def test_history_and_the_public_page_have_one_name_each(editor_client, make_article):
    """“Lịch sử” as on its page and in the README; “Xem trước” for a draft, else the site link."""
    published = make_article(title="Đường Hồ Sen")
    draft = make_article(title="Bản nháp", slug="ban-nhap", status=Article.Status.DRAFT)
    content = editor_client.get(admin_url(published, "change", published.pk)).content.decode()
    assert ">Lịch sử</a>" in content and "Bản ghi nhớ" not in content
    assert "Xem trên trang web" in content and "Xem trước" not in content
    content = editor_client.get(admin_url(draft, "change", draft.pk)).content.decode()
    assert ">Lịch sử</a>" in content
    assert "Xem trước" in content and "Xem trên trang web" not in content

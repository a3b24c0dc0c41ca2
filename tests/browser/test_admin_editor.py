"""The editor's admin in a real browser: sign in, write with the rich-text editor, preview."""

import pytest

from articles.models import Article
from tests.editorial import EDITOR, user_in_role

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, transactional_db, live_server, django_user_model):
    """A page signed in as an editor through the real sign-in form; collects CSP complaints."""
    user_in_role(django_user_model, EDITOR, "bientapvien")
    problems = []

    def on_console(message):
        # A missing resource is reported below with its address; the browser asks for /favicon.ico.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientapvien")
    page.fill("#id_password", "x-pass-1")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page, live_server.url, problems


def test_article_is_written_with_the_rich_text_editor_and_saved_clean(signed_in):
    page, url, problems = signed_in
    page.goto(url + "/admin/articles/article/add/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for()
    assert page.evaluate("gettext('Edit Link')") == "Sửa liên kết"  # the editor's dialogs
    page.fill("#id_title", "Phường Vĩnh Niệm khánh thành nhà văn hoá")
    editor.click()
    page.keyboard.type("Sáng nay, phường ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Vĩnh Niệm")
    page.keyboard.press("Control+b")
    page.keyboard.type(" khánh thành nhà văn hoá.")
    page.click("input[name=_save]")
    page.wait_for_url(url + "/admin/articles/article/")
    article = Article.objects.get()
    assert (
        article.body
        == "<p>Sáng nay, phường <strong>Vĩnh Niệm</strong> khánh thành nhà văn hoá.</p>"
    )
    assert article.status == Article.Status.DRAFT
    assert not problems, problems


def test_preview_link_opens_the_draft_on_its_address(signed_in):
    page, url, problems = signed_in
    article = Article.objects.create(title="Bản nháp xem trước", body="<p>Nội dung nháp.</p>")
    page.goto(url + f"/admin/articles/article/{article.pk}/change/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Xem trước").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.url == url + article.get_absolute_url()
    assert "Bản nháp" in preview.locator(".preview-banner").inner_text()
    assert "Nội dung nháp." in preview.locator(".article-body").inner_text()
    assert not problems, problems

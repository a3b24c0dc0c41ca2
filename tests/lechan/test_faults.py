"""Faults: the database or the cache going away never shows a reader a traceback.

The database tests against real PostgreSQL point the connection at a closed port
(unreachable) or end the server's connections (a restart); the Redis tests stop a
Redis server of their own. Both then check that the site recovers by itself.
"""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article
from lechan import cache as lechan_cache
from lechan import faults, pagecache, qr
from tests.conftest import REQUIRE_SERVICES

CLOSED_REDIS = "redis://127.0.0.1:1/0"


def broken_view(request):
    raise ValueError("a bug")


def database_view(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("loi/", broken_view),
    path("co-so-du-lieu/", database_view),
    path("ok/", lambda request: HttpResponse("ok")),
]
handler500 = "lechan.faults.server_error"


@contextmanager
def database_down():
    """Every new query fails as it does when PostgreSQL does not answer."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(type(connections["default"]), "ensure_connection", side_effect=error):
        yield


def assert_503_page(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "Cổng thông tin tạm thời gián đoạn" in page
    assert '<html lang="vi">' in page
    assert "Traceback" not in page
    assert "OperationalError" not in page
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


# Error pages ------------------------------------------------------------------------------


def test_an_unknown_address_answers_the_vietnamese_404_page(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_bug_answers_the_vietnamese_500_page_without_a_traceback(settings, db):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/loi/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Xin lỗi, đã có lỗi xảy ra" in page
    assert "ValueError" not in page
    assert "Traceback" not in page


def test_a_database_error_outside_a_view_answers_503_not_500(rf):
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = faults.server_error(rf.get("/"))
    assert_503_page(response)
    try:
        raise ValueError("a bug")
    except ValueError:
        assert faults.server_error(rf.get("/")).status_code == 500


def test_a_database_error_in_a_view_answers_503(settings, client, db):
    settings.ROOT_URLCONF = __name__
    assert_503_page(client.get("/co-so-du-lieu/"))


# Database unreachable ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/tin-tuc/", "/du-an/", "/tim-kiem/?q=ho+sen", "/tin-tuc/rss/", "/sitemap.xml"]
)
def test_public_pages_answer_503_while_the_database_is_down(client, db, url):
    with database_down():
        assert_503_page(client.get(url))


def test_the_site_recovers_by_itself_when_the_database_returns(client, make_article):
    url = make_article(title="Bài vẫn còn").get_absolute_url()
    with database_down():
        assert client.get(url).status_code == 503
    response = client.get(url)
    assert response.status_code == 200
    assert "Bài vẫn còn" in response.content.decode()


def test_readers_get_the_cached_page_while_the_database_is_down(client, page_cache, make_article):
    article = make_article(title="Bài đã lưu")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with database_down():
        hit = client.get(url)
    assert hit.status_code == 200
    assert hit["X-Cache"] == "HIT"
    # Content changed since: the current copy is gone, the last good one is served.
    article.lead = "Sapo mới"
    article.save()
    with database_down():
        stale = client.get(url)
        assert_503_page(client.get(reverse("projects:list")))  # never cached: no copy
    assert stale.status_code == 200
    assert stale["X-Cache"] == "STALE"
    assert "Bài đã lưu" in stale.content.decode()
    assert "max-age=10" in stale["Cache-Control"]


# Taken down stays down -------------------------------------------------------------------


def unpublish(article):
    article.status = Article.Status.UNPUBLISHED
    article.save()


def archive(article):
    article.status = Article.Status.ARCHIVED
    article.save()


def reschedule(article):
    article.published_at = timezone.now() + timedelta(days=1)
    article.save()


def delete(item):
    item.delete()


def hide(project):
    project.is_published = False
    project.save()


def kept_pages(client, urls, title):
    """Each page read once with the database up, showing `title`: a copy of each is kept."""
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert title in response.content.decode(), url


def assert_taken_down(client, urls, title):
    """With the database down, no page shows `title`: each answers the 503 page."""
    with database_down():
        responses = {url: client.get(url) for url in urls}
    assert [url for url, r in responses.items() if title in r.content.decode()] == []
    for response in responses.values():
        assert_503_page(response)


@pytest.mark.parametrize("take_down", [unpublish, archive, reschedule, delete])
def test_an_article_taken_down_is_on_no_kept_copy_during_an_outage(
    client, page_cache, make_article, take_down
):
    article = make_article(title="Bài sẽ gỡ")
    other = make_article(title="Bài ở lại", published_at=timezone.now() - timedelta(hours=2))
    urls = [
        article.get_absolute_url(),
        reverse("home"),
        reverse("articles:list"),
        other.get_absolute_url(),  # its "Tin khác" links to the article
    ]
    kept_pages(client, urls, "Bài sẽ gỡ")
    take_down(article)
    assert_taken_down(client, urls, "Bài sẽ gỡ")


@pytest.mark.parametrize("take_down", [hide, delete])
def test_a_project_taken_down_is_on_no_kept_copy_during_an_outage(
    client, page_cache, make_article, make_project, take_down
):
    project = make_project(name="Dự án sẽ ẩn")
    article = make_article()
    article.projects.add(project)
    urls = [
        project.get_absolute_url(),
        reverse("home"),
        reverse("projects:list"),
        article.get_absolute_url(),  # lists the article's projects
    ]
    kept_pages(client, urls, "Dự án sẽ ẩn")
    take_down(project)
    assert_taken_down(client, urls, "Dự án sẽ ẩn")


def test_pages_read_after_a_takedown_are_kept_again(client, page_cache, make_article):
    gone = make_article(title="Bài đã gỡ")
    make_article(title="Bài còn lại")
    client.get(reverse("home"))
    unpublish(gone)
    assert "Bài đã gỡ" not in client.get(reverse("home")).content.decode()  # kept anew
    make_article(title="Bài mới")  # the current copy is retired, the kept one stays
    with database_down():
        stale = client.get(reverse("home"))
    assert stale["X-Cache"] == "STALE"
    assert "Bài còn lại" in stale.content.decode()
    assert "Bài đã gỡ" not in stale.content.decode()


def test_a_copy_drawn_before_the_takedown_commits_is_not_served(
    client, page_cache, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Bài sẽ gỡ")
    url = article.get_absolute_url()
    client.get(url)
    _, kept_key = pagecache.page_key(RequestFactory().get(url), "any")
    with django_capture_on_commit_callbacks(execute=True):
        unpublish(article)
        # Another reader's request, begun before the commit, still read the article.
        cache.set(kept_key, (time.time(), cache.get(kept_key)[1]))
    with database_down():
        assert_503_page(client.get(url))


def test_saving_what_readers_never_saw_keeps_the_kept_copies(
    client, page_cache, make_article, make_project
):
    url = make_article(title="Bài đang đọc").get_absolute_url()
    client.get(url)
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT)
    draft.lead = "Sửa bản nháp"
    draft.save()
    draft.delete()
    hidden = make_project(is_published=False)
    hidden.save()
    with database_down():
        stale = client.get(url)
    assert stale["X-Cache"] == "STALE"
    assert "Bài đang đọc" in stale.content.decode()


def test_a_cache_that_lost_the_takedown_time_serves_no_copy_kept_before(
    client, page_cache, make_article
):
    article = make_article(title="Bài đã lưu")
    client.get(article.get_absolute_url())
    cache.delete(lechan_cache.TAKEDOWN_KEY)  # an eviction, say
    article.lead = "Sapo mới"
    article.save()
    with database_down():
        assert_503_page(client.get(article.get_absolute_url()))


@pytest.mark.parametrize(
    "url", ["/du-an/?format=csv", "/du-an/?format=json", "/so-lieu/?format=csv"]
)
def test_an_export_answers_503_before_sending_anything_while_the_database_is_down(
    client, make_article, make_project, url
):
    make_project()
    with database_down():
        response = client.get(url)
    assert not response.streaming
    assert_503_page(response)


def test_an_editor_gets_the_503_page_while_the_database_is_down(editor_client, make_article):
    url = make_article().get_absolute_url()
    with database_down():
        assert_503_page(editor_client.get(url))


def test_health_check_reports_the_database(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    with database_down():
        down = client.get("/healthz/")
    assert down.status_code == 503
    assert down.json()["database"] == "unavailable"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (live server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextmanager
def postgres_port(port):
    """Point new connections (the live server's too) at `port`; the test's own stays open."""
    connection.ensure_connection()
    saved = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = port
    try:
        yield
    finally:
        connection.settings_dict["PORT"] = saved


def end_other_connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.mark.postgres
def test_unreachable_postgresql_answers_503_and_the_site_recovers(live_server, make_article):
    url = live_server.url + make_article(title="Bài trên PostgreSQL").get_absolute_url()
    assert fetch(url)[0] == 200
    end_other_connections()
    with postgres_port(str(free_port())):  # nothing listens there
        status, page = fetch(url)
        assert status == 503
        assert "Cổng thông tin tạm thời gián đoạn" in page
        assert "Traceback" not in page
        assert fetch(live_server.url + "/healthz/")[0] == 503
    status, page = fetch(url)
    assert status == 200
    assert "Bài trên PostgreSQL" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_kept_connections_survive_a_postgresql_restart(client, make_article):
    """With DJANGO_CONN_MAX_AGE a connection outlives its request; the health check
    finds it dead after a restart and opens another: no reader sees an error."""
    from django.db import close_old_connections

    url = make_article().get_absolute_url()
    settings_dict = connection.settings_dict
    saved = settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"]
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 60, True
    connection.close()
    try:
        for _ in range(3):
            close_old_connections()  # what a server does as each request starts
            assert client.get(url).status_code == 200
            assert connection.connection is not None  # kept after the request
            killer = connection.copy()
            with killer.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
                )
            killer.close()
    finally:
        settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = saved
        connection.close()


# Cache unavailable ------------------------------------------------------------------


@pytest.fixture
def redis_at(settings):
    def point(url):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        lechan_cache._down_until.pop(url, None)

    return point


def test_pages_are_served_and_the_failure_logged_when_redis_is_unreachable(
    client, page_cache, redis_at, make_article, make_project, caplog
):
    article = make_article(title="Bài khi Redis tắt")
    project = make_project()
    redis_at(CLOSED_REDIS)
    for url in (
        reverse("home"),
        article.get_absolute_url(),
        project.get_absolute_url(),
        reverse("articles:list") + "?kind=news",  # facets counted from the rows, no summary
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Cache" not in response
    assert client.get(reverse("articles:list")).context["paginator"].count == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Bài khi Redis tắt" in page
    assert qr.make_svg("http://testserver" + article.get_absolute_url()) in page
    assert "Cache unavailable" in caplog.text
    health = client.get("/healthz/")
    assert health.status_code == 200
    assert health.json() == {"database": "ok", "cache": "unavailable"}


def test_a_failing_cache_is_left_alone_for_a_few_seconds(redis_at, db):
    redis_at(CLOSED_REDIS)
    with mock.patch.object(
        lechan_cache.caches, "__getitem__", wraps=lechan_cache.caches.__getitem__
    ):
        assert lechan_cache.cache_call("get", "x", default="down") == "down"
        calls = lechan_cache.caches.__getitem__.call_count
        assert lechan_cache.cache_call("get", "x", default="down") == "down"
        assert lechan_cache.caches.__getitem__.call_count == calls  # not asked again


@pytest.fixture
def own_redis():
    """A Redis server of the test's own on a free port, which the test may stop and start."""
    binary = shutil.which("redis-server")
    if not binary:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server not found (LECHAN_REQUIRE_SERVICES=1)")
        pytest.skip("redis-server not found")
    port = free_port()
    processes = []

    def start():
        process = subprocess.Popen(  # noqa: S603 (the system's redis-server, loopback only)
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(timeout=10)

    start()
    yield f"redis://127.0.0.1:{port}/0", start, stop
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.redis
def test_the_site_keeps_serving_while_redis_stops_and_caches_again_when_it_returns(
    client, page_cache, redis_at, own_redis, make_article, monkeypatch
):
    monkeypatch.setattr(lechan_cache, "RETRY_SECONDS", 0)
    url_redis, start, stop = own_redis
    redis_at(url_redis)
    url = make_article(title="Bài qua Redis").get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    stop()
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert "Bài qua Redis" in response.content.decode()
        assert "X-Cache" not in response
    start()  # an empty Redis, as after a restart
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"


@pytest.mark.redis
def test_the_project_cache_is_redis(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    cache.set("lechan-test", 1)
    assert cache.get("lechan-test") == 1

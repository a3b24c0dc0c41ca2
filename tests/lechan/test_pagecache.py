"""Whole-page and fragment caches: what readers get from them, who never sees them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from lechan import pagecache

pytestmark = pytest.mark.usefixtures("page_cache")


def test_second_request_of_a_public_page_is_served_from_the_cache_without_queries(
    client, make_article, make_project, django_assert_num_queries, pages
):
    article = make_article(title="Hồ Sen – Cầu Rào 2 thông xe")
    project = make_project(name="Đường Hồ Sen – Cầu Rào 2")
    for url in pages(article, project):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Cache"] == "MISS", url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Cache"] == "HIT", url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url


def test_cached_pages_tell_browsers_and_proxies_how_long_to_keep_them(client, make_article):
    url = make_article().get_absolute_url()
    for response in (client.get(url), client.get(url)):
        assert "public" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert response["ETag"]


def test_an_unchanged_page_answers_304_to_its_etag(client, make_article):
    url = make_article().get_absolute_url()
    etag = client.get(url)["ETag"]
    cached = client.get(url, headers={"if-none-match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_the_etag_changes_when_the_page_does(client, make_article):
    article = make_article(title="Tiêu đề cũ")
    etag = client.get(article.get_absolute_url())["ETag"]
    article.title = "Tiêu đề mới"
    article.save()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Tiêu đề mới" in response.content.decode()


def sign_in(client, editor):
    """Sign in through the admin's form, as an editor does."""
    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "x-pass-1", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    return client


def cached_by_a_reader(url):
    """`url` read once by a reader without cookies: the page cache holds it."""
    assert Client().get(url)["X-Cache"] == "MISS"
    return url


LIKE_A_SESSION_KEY = "k3jd93hfy2nd8s7wqk1mz0xpq4lr6tvb"


def test_a_signed_in_editor_never_gets_a_cached_page(client, editor, make_article):
    url = cached_by_a_reader(make_article(title="Bài công khai").get_absolute_url())
    sign_in(client, editor)
    assert client.cookies[pagecache.EDITOR_COOKIE].value
    response = client.get(url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_an_editor_without_the_editor_cookie_gets_it_from_the_first_page_drawn(
    editor_client, make_article
):
    """force_login sets no editor cookie: the first page drawn for the editor does."""
    url = make_article().get_absolute_url()
    first = editor_client.get(url)
    assert first["X-Cache"] == "MISS"
    assert first.cookies[pagecache.EDITOR_COOKIE].value
    assert "private" in first["Cache-Control"]  # drawn for them: no shared cache keeps it
    assert "X-Cache" not in editor_client.get(url)
    assert Client().get(url)["X-Cache"] == "MISS"  # the editor's page was not kept


def test_a_signed_in_editor_never_fills_the_cache(editor_client, make_article):
    draft = make_article(title="Bản nháp riêng", status=Article.Status.DRAFT)
    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Bản nháp riêng" in preview.content.decode()
    editor_client.get(reverse("home"))
    anonymous = Client()
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    assert anonymous.get(reverse("home"))["X-Cache"] == "MISS"


def test_signing_out_takes_the_editor_cookie_back(client, editor, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    sign_in(client, editor)
    client.post(reverse("admin:logout"))
    assert not client.cookies[pagecache.EDITOR_COOKIE].value
    assert client.get(url)["X-Cache"] == "HIT"


def test_cookies_kept_from_before_signing_out_pass_the_cache_no_more(client, editor, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    sign_in(client, editor)
    kept = {name: morsel.value for name, morsel in client.cookies.items()}
    client.post(reverse("admin:logout"))
    replay = Client()
    for _ in range(2):
        for name, value in kept.items():  # whatever the site said to delete
            replay.cookies[name] = value
        assert replay.get(url)["X-Cache"] == "HIT"


def test_cookies_of_a_session_ended_elsewhere_pass_the_cache_once_at_most(
    client, editor, make_article
):
    from django.contrib.sessions.models import Session

    url = cached_by_a_reader(make_article().get_absolute_url())
    sign_in(client, editor)
    kept = {name: morsel.value for name, morsel in client.cookies.items()}
    Session.objects.all().delete()  # expired, or ended by an administrator
    replay = Client()
    for expected in (None, "HIT"):  # the first finds the session over and retires its cookie
        for name, value in kept.items():
            replay.cookies[name] = value
        assert replay.get(url).get("X-Cache") == expected


@pytest.mark.parametrize("session_key", ["bogus", LIKE_A_SESSION_KEY], ids=["short", "long"])
def test_a_made_up_session_cookie_reads_the_cached_page_without_a_query(
    client, make_article, django_assert_num_queries, session_key
):
    url = cached_by_a_reader(make_article().get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Cache"] == "HIT"


def test_an_editor_cookie_counts_only_with_the_session_it_was_signed_for(
    client, editor, make_article
):
    url = cached_by_a_reader(make_article().get_absolute_url())
    editor_cookie = sign_in(Client(), editor).cookies[pagecache.EDITOR_COOKIE].value
    client.cookies[settings.SESSION_COOKIE_NAME] = LIKE_A_SESSION_KEY
    client.cookies[pagecache.EDITOR_COOKIE] = editor_cookie
    assert client.get(url)["X-Cache"] == "HIT"
    client.cookies[pagecache.EDITOR_COOKIE] = "made-up"
    assert client.get(url)["X-Cache"] == "HIT"


@pytest.mark.parametrize("session_key", ["bogus", LIKE_A_SESSION_KEY], ids=["short", "long"])
def test_readers_with_made_up_session_cookies_alone_fill_the_cache(
    client, make_article, session_key
):
    url = make_article().get_absolute_url()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    assert not Client().get(url).cookies  # the copy carries no cookie


def test_an_expired_session_reads_the_cached_page(client, editor, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    sign_in(client, editor)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # The editor cookie still matches: one page drawn afresh, which takes it back.
    response = client.get(url)
    assert "X-Cache" not in response
    assert not response.cookies[pagecache.EDITOR_COOKIE].value
    assert client.get(url)["X-Cache"] == "HIT"


def test_an_anonymous_session_reads_the_cached_page(client, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    session = SessionStore()
    session["seen"] = True
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(url)["X-Cache"] == "HIT"


def test_a_made_up_messages_cookie_reads_the_cached_page(client, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    client.cookies["messages"] = "x"
    assert client.get(url)["X-Cache"] == "HIT"


def messages_cookie(*texts):
    """The messages cookie Django sets for a reader with `texts` waiting."""
    storage = CookieStorage(RequestFactory().get("/"))
    response = HttpResponse()
    for text in texts:
        storage.add(constants.SUCCESS, text)
    storage.update(response)
    return response.cookies["messages"].value


def test_a_reader_with_messages_waiting_sees_them_and_they_are_never_cached(client, make_article):
    url = cached_by_a_reader(make_article().get_absolute_url())
    client.cookies["messages"] = messages_cookie("Đã gửi câu hỏi của bạn.")
    response = client.get(reverse("home"))
    assert "X-Cache" not in response
    assert "Đã gửi câu hỏi của bạn." in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert client.get(url)["X-Cache"] == "HIT"  # shown once: the cookie is gone
    other = Client().get(reverse("home"))
    assert other["X-Cache"] == "MISS"
    assert "Đã gửi câu hỏi của bạn." not in other.content.decode()


def test_a_response_that_sets_a_cookie_is_not_kept_one_that_forgets_one_may_be():
    response = HttpResponse("x")
    response.set_cookie("messages", "waiting")
    assert not pagecache.is_storable(response)
    response = HttpResponse("x")
    response.delete_cookie(settings.SESSION_COOKIE_NAME)
    response.delete_cookie("messages")
    assert pagecache.is_storable(response)
    response.delete_cookie("csrftoken")
    assert not pagecache.is_storable(response)


def test_admin_health_post_and_error_pages_are_never_cached(client, make_article):
    url = make_article().get_absolute_url()
    for address in ("/admin/login/", "/healthz/", "/khong-co-trang-nay/"):
        client.get(address)
        assert client.get(address).get("X-Cache") != "HIT", address
    assert client.post(url).get("X-Cache") is None
    client.get(url)
    assert client.post(url).get("X-Cache") is None


def test_head_requests_are_answered_from_the_cache(client, make_article):
    url = make_article().get_absolute_url()
    client.get(url)
    assert client.head(url)["X-Cache"] == "HIT"


def test_query_strings_are_cached_apart(client, make_article):
    make_article(title="Hồ Sen")
    make_article(title="Cầu Rào")
    one = client.get(reverse("search"), {"q": "ho sen"}).content.decode()
    other = client.get(reverse("search"), {"q": "cau rao"}).content.decode()
    assert "Cầu Rào" in other
    assert "Cầu Rào" not in one.split("<main", 1)[1].split("</main>")[0]


def test_responses_that_set_a_cookie_are_not_stored():
    from django.http import HttpResponse

    response = HttpResponse("x")
    assert pagecache.is_storable(response)
    response.set_cookie("csrftoken", "t")
    assert not pagecache.is_storable(response)
    private = HttpResponse("x", headers={"Cache-Control": "private"})
    assert not pagecache.is_storable(private)
    varies = HttpResponse("x", headers={"Vary": "Accept"})
    assert not pagecache.is_storable(varies)


def test_page_cache_can_be_turned_off(client, settings, make_article):
    settings.LECHAN_PAGE_CACHE_SECONDS = 0
    url = make_article().get_absolute_url()
    client.get(url)
    assert "X-Cache" not in client.get(url)


@pytest.mark.redis
def test_pages_are_kept_in_redis(client, make_article):
    url = make_article().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    client_lib = cache._cache.get_client(write=False)
    assert client_lib.keys("lechan:*page:*")


def test_a_made_up_session_cookie_reads_cached_fragments(client, settings, make_article):
    settings.LECHAN_PAGE_CACHE_SECONDS = 0
    article = make_article(body="<p>Nội dung gốc.</p>")
    Client().get(article.get_absolute_url())
    # A change made without a save signal keeps the content version: fragments stay.
    Article.objects.filter(pk=article.pk).update(body="<p>Sửa thẳng trong cơ sở dữ liệu.</p>")
    client.cookies[settings.SESSION_COOKIE_NAME] = LIKE_A_SESSION_KEY
    assert "Nội dung gốc." in client.get(article.get_absolute_url()).content.decode()


def test_a_page_that_shows_messages_kept_in_the_session_is_never_kept(
    client, settings, make_article
):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    request = RequestFactory().get("/")
    request.session = SessionStore()
    storage = SessionStorage(request)
    storage.add(constants.SUCCESS, "Tin nhắn trong phiên.")
    storage.update(HttpResponse())
    request.session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    first = client.get(reverse("home"))
    assert "Tin nhắn trong phiên." in first.content.decode()
    other = Client().get(reverse("home"))
    assert other["X-Cache"] == "MISS"
    assert "Tin nhắn trong phiên." not in other.content.decode()

"""Whole-page and fragment caches for readers who are not signed in.

A public page is stored under its full address and the site's content version
(lechan/cache.py). Fragments (`cached_fragment`, the `{% fragment %}` tag) are kept under
the same version, so that with the page cache off a page still reads its costly parts
from the cache. A signed-in editor never reads nor fills either, nor does a reader with
messages waiting; a made-up session or messages cookie changes nothing (the editor
cookie, signed by the site, tells editors apart without a query).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import (
    cc_delim_re,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from lechan.cache import cache_call, kept_copy, request_content_version

# Set beside a signed-in editor's session cookie: the caches let its bearer through.
EDITOR_COOKIE = "editor"
# An editor cookie whose session turned out signed out (kept, or copied, after sign-out).
SIGNED_OUT_PREFIX = "page:signed-out:"
STALE_SECONDS = 60 * 60 * 24 * 7
# Larger responses (a full export) are not worth a round trip to the cache.
MAX_BYTES = 1024 * 1024
# Vary headers under which a response is the same for every reader of one address.
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}


# Who passes the caches ----------------------------------------------------------------


def session_digest(session_key):
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def has_editor_cookie(request):
    """The editor cookie, signed by this site for the session cookie it comes with.

    Checked with the secret key alone: a made-up session cookie costs no query.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    value = request.get_signed_cookie(
        EDITOR_COOKIE, default=None, salt=EDITOR_COOKIE, max_age=settings.SESSION_COOKIE_AGE
    )
    if value != session_digest(session_key):
        return False
    return not cache_call("get", SIGNED_OUT_PREFIX + value)


def has_messages_waiting(request):
    """A messages cookie this site signed: the page shows them (a made-up one is ignored)."""
    value = request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=CookieStorage.key_salt).unsign(value)
    except signing.BadSignature:
        return False
    return True


def is_signed_in(request):
    """A signed-in reader (an editor): the page may be personal, so no cache serves or keeps it.

    Before authentication (the page cache) the editor cookie tells; once the request has
    its user (fragments, keeping a page) the user does, looked up only if a session cookie
    came with the request.
    """
    user = getattr(request, "user", None)
    if user is None:
        return has_editor_cookie(request)
    try:
        return user.is_authenticated
    except DatabaseError:
        return True  # the session cannot be read: nothing is served from or kept in a cache


def mark_editor(request, response):
    """Give a signed-in editor the editor cookie, and take it back once signed out.

    Only a request that reached the views has a user; one whose database is down is left
    as it is.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(response, "database_unavailable", False):
        return response
    try:
        is_editor = user.is_authenticated and user.is_staff
    except DatabaseError:
        return response
    has_cookie = has_editor_cookie(request)
    if is_editor and not has_cookie and request.session.session_key:
        ends_with_browser = settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        response.set_signed_cookie(
            EDITOR_COOKIE,
            session_digest(request.session.session_key),
            salt=EDITOR_COOKIE,
            max_age=None if ends_with_browser else settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            **cookie_place(),
        )
    elif has_cookie and not is_editor:
        # Its session is over: the pair of cookies, replayed, passes the caches no more.
        digest = request.get_signed_cookie(EDITOR_COOKIE, salt=EDITOR_COOKIE)
        cache_call("set", SIGNED_OUT_PREFIX + digest, True, settings.SESSION_COOKIE_AGE)
        response.delete_cookie(EDITOR_COOKIE, **cookie_place())
    return response


def cookie_place():
    """The editor cookie goes where the session cookie does."""
    return {
        "domain": settings.SESSION_COOKIE_DOMAIN,
        "path": settings.SESSION_COOKIE_PATH,
        "samesite": settings.SESSION_COOKIE_SAMESITE,
    }


# Fragment cache -----------------------------------------------------------------------


def fragment_key(request, name, parts, version):
    # Fragments hold absolute addresses (QR code, share links): the host is part of the key.
    identity = "\x1f".join([request.scheme, request.get_host(), *map(str, parts)])
    digest = hashlib.sha256(identity.encode()).hexdigest()[:40]
    return f"fragment:{version}:{name}:{digest}"


def cached_fragment(request, name, parts, render):
    """`render()`'s HTML, kept under `name`, `parts`, the host and the content version.

    Signed-in readers (editors, previews) neither read nor fill fragments; without a
    request, with fragments turned off or with the cache down, the HTML is rendered.
    """
    if request is None or settings.LECHAN_FRAGMENT_CACHE_SECONDS <= 0 or is_signed_in(request):
        return render()
    version = request_content_version(request)
    if version is None:
        return render()
    key = fragment_key(request, name, parts, version)
    html = cache_call("get", key)
    if html is None:
        html = render()
        cache_call("set", key, html, settings.LECHAN_FRAGMENT_CACHE_SECONDS)
    return html


# Page cache ---------------------------------------------------------------------------


def excluded_prefixes():
    prefixes = ["/" + settings.LECHAN_ADMIN_PATH, settings.STATIC_URL, settings.MEDIA_URL]
    prefixes += settings.LECHAN_PAGE_CACHE_EXCLUDE
    return tuple("/" + p.lstrip("/") for p in prefixes if p)


def page_key(request, version):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"page:{version}:{digest}", f"page:kept:{digest}"


def forgets_only(response):
    """Whether the response's cookies only delete a session or messages cookie.

    So does Django answer a made-up session or a stale messages cookie: the page itself is
    a reader's page, kept without the cookies (a copy never carries any).
    """
    names = {settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages")}
    return all(
        name in names and not morsel.value and str(morsel["max-age"]) == "0"
        for name, morsel in response.cookies.items()
    )


def is_storable(response):
    if response.status_code != 200 or response.streaming or not forgets_only(response):
        return False
    if len(response.content) > MAX_BYTES:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    vary = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h.strip()}
    return vary <= HARMLESS_VARY


def freeze(response):
    return (response.status_code, list(response.items()), response.content)


def thaw(frozen):
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serve and store whole public pages for anonymous GET and HEAD requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return mark_editor(request, self.respond(request))

    def respond(self, request):
        if is_signed_in(request) or has_messages_waiting(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if (
            settings.LECHAN_PAGE_CACHE_SECONDS <= 0
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(excluded_prefixes())
        ):
            return self.get_response(request)

        version = request_content_version(request)  # the page's fragments reuse it
        if version is None:
            return self.get_response(request)
        key, stale_key = page_key(request, version)
        cached = cache_call("get", key)
        if cached is not None:
            response = thaw(cached)
            response["X-Cache"] = "HIT"
            return response

        started = time.time()
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False):
            stale = kept_copy(stale_key)
            if stale is not None:
                response = thaw(stale)
                response["X-Cache"] = "STALE"
                patch_cache_control(response, max_age=10)
            return response
        if is_signed_in(request):  # an editor the cookie did not announce: their page alone
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
        elif request.method == "GET" and is_storable(response):
            patch_cache_control(response, public=True, max_age=settings.LECHAN_PAGE_CACHE_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            set_response_etag(response)
            frozen = freeze(response)
            cache_call("set", key, frozen, settings.LECHAN_PAGE_CACHE_SECONDS)
            cache_call("set", stale_key, (started, frozen), STALE_SECONDS)
        response["X-Cache"] = "MISS"
        return response

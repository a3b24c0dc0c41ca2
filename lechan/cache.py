"""Whole-page and fragment caches for readers who are not signed in; a cache that may fail.

A public page is stored under its full address and the site's content version. Any
save or delete of a model in `PAGE_CACHE_APPS` (connected in `LechanConfig.ready`)
starts a new version, so every page shows the change on its next request; the
version also ends when the next scheduled item (`PAGE_CACHE_SCHEDULES`) goes live,
so scheduled publication still needs no cron job. Fragments (`cached_fragment`, the
`{% fragment %}` tag) are kept under the same version, so that with the page cache off a
page still reads its costly parts from the cache. A signed-in editor never reads nor fills
either, nor does a reader with messages waiting; a made-up session or messages cookie
changes nothing (the editor cookie, signed by the site, tells editors apart without a
query).

The cache is an optimisation, never a dependency: when the backend fails (Redis
down) every call here logs a warning and the page is served from the database. A
last good copy of each page is kept apart, for readers during a database outage; taking
an item down (a model registered with `watch_takedowns`) retires every copy kept before.
"""

import hashlib
import logging
import math
import time
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

logger = logging.getLogger(__name__)

VERSION_KEY = "page:version"
# Set beside a signed-in editor's session cookie: the caches let its bearer through.
EDITOR_COOKIE = "editor"
# When an item was last taken down: kept copies drawn before then are never served.
TAKEDOWN_KEY = "page:taken-down"
# An editor cookie whose session turned out signed out (kept, or copied, after sign-out).
SIGNED_OUT_PREFIX = "page:signed-out:"
STALE_SECONDS = 60 * 60 * 24 * 7
# After a failure the backend is left alone for this long: a cache that times out
# would otherwise cost every request its timeout.
RETRY_SECONDS = 5
# Larger responses (a full export) are not worth a round trip to the cache.
MAX_BYTES = 1024 * 1024
# Vary headers under which a response is the same for every reader of one address.
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}

_down_until = {}
FAILED = object()


def _location():
    return str(settings.CACHES["default"].get("LOCATION", ""))


def cache_call(method, *args, default=None, **kwargs):
    """`cache.<method>(…)`, or `default` with a warning when the cache backend fails."""
    location = _location()
    if time.monotonic() < _down_until.get(location, 0):
        return default
    try:
        return getattr(caches["default"], method)(*args, **kwargs)
    except Exception:  # the backend's own errors: redis.ConnectionError, TimeoutError, …
        _down_until[location] = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Cache unavailable (%s): serving from the database, retrying in %s s",
            location or "default",
            RETRY_SECONDS,
            exc_info=True,
        )
        return default


# Content version ---------------------------------------------------------------------


def next_scheduled(now):
    """The earliest future value of the `PAGE_CACHE_SCHEDULES` fields, or None."""
    moments = []
    for spec in getattr(settings, "PAGE_CACHE_SCHEDULES", []):
        label, field = spec.rsplit(".", 1)
        model = apps.get_model(label)
        moment = (
            model._default_manager.filter(**{f"{field}__gt": now})
            .order_by(field)
            .values_list(field, flat=True)
            .first()
        )
        if moment is not None:
            moments.append(moment)
    return min(moments, default=None)


def content_version():
    """The current content version, started anew when missing or past its end.

    None when the cache is unavailable: pages are then neither read nor stored.
    """
    current = cache_call("get", VERSION_KEY, default=FAILED)
    if current is FAILED:
        return None
    if current is not None and time.time() < current[1]:
        return current[0]
    # Fragments and facet summaries use the version too, with the page cache off.
    lifetime = max(
        settings.PAGE_CACHE_SECONDS,
        settings.FRAGMENT_CACHE_SECONDS,
        settings.FACET_SUMMARY_SECONDS,
    )
    try:
        moment = next_scheduled(timezone.now())
    except DatabaseError:
        moment = timezone.now() + timedelta(seconds=30)  # look again soon
    if moment is not None:
        lifetime = min(lifetime, (moment - timezone.now()).total_seconds())
    return _store_version(time.time() + lifetime)


def _store_version(until):
    # The end is checked against this process's clock too: the backend expires keys by its own.
    version = (uuid.uuid4().hex[:12], until)
    cache_call("set", VERSION_KEY, version, max(1, math.ceil(until - time.time())))
    # A cache that lost the takedown time (a restart, an eviction) cannot vouch for the
    # copies kept before: they are retired as if an item had just been taken down.
    cache_call("add", TAKEDOWN_KEY, time.time(), None)
    return version[0]


def bump_content_version(moment=None):
    """Start a new content version now, and again once the transaction commits.

    Now: the editor's next request sees the change. After the commit: a page that a
    concurrent request rendered from the data before the commit is not kept. The new
    version ends no later than the old one, or `moment` (a newly scheduled item) if sooner;
    no query is made here, so an import of many items stays cheap.
    """

    def bump():
        current = cache_call("get", VERSION_KEY, default=FAILED)
        if current is FAILED:
            return
        now = time.time()
        if current is None or now >= current[1]:
            cache_call("delete", VERSION_KEY)  # the next request looks the schedule up
            return
        until = current[1]
        if moment is not None and moment.timestamp() > now:
            until = min(until, moment.timestamp())
        _store_version(until)

    bump()
    transaction.on_commit(bump)


def on_content_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed sends pre_ and post_ actions: the post_ one is enough
    if sender._meta.app_label in settings.PAGE_CACHE_APPS:
        bump_content_version(scheduled_moment(sender, kwargs.get("instance")))


def scheduled_moment(model, instance):
    """The instance's value of its model's `PAGE_CACHE_SCHEDULES` field, if any."""
    for spec in getattr(settings, "PAGE_CACHE_SCHEDULES", []):
        label, field = spec.rsplit(".", 1)
        if model._meta.label_lower == label.lower() and instance is not None:
            return getattr(instance, field, None)
    return None


# Takedowns --------------------------------------------------------------------------


def watch_takedowns(model):
    """Retire every kept copy when an item of `model` stops being public (`is_public`).

    Unpublished, archived, hidden, scheduled for later or deleted: any page may show the
    item (its own, lists, home, another item's related links), so none kept before may be
    served again. The model's default manager offers `published()`, the publication rule.
    """
    uid = f"lechan.cache.takedowns.{model._meta.label_lower}"
    pre_save.connect(_note_public_before_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid, weak=False)


def _note_public_before_save(sender, instance, raw=False, using=None, **kwargs):
    """Whether the stored item is public: asked only when the save may take it down."""
    instance._lechan_was_public = False
    if raw or instance._state.adding or instance.pk is None or instance.is_public:
        return
    published = sender._default_manager.db_manager(using).published()
    instance._lechan_was_public = published.filter(pk=instance.pk).exists()


def _after_save(sender, instance, **kwargs):
    if instance.__dict__.pop("_lechan_was_public", False):
        record_takedown()


def _after_delete(sender, instance, **kwargs):
    if instance.is_public:
        record_takedown()


def record_takedown():
    """Retire the kept copies drawn until now, and again once the transaction commits.

    A copy carries the moment its request started: one that began before the commit may
    show the item, one that began after cannot. App servers' clocks are assumed to agree.
    """

    def record():
        cache_call("set", TAKEDOWN_KEY, time.time(), None)

    record()
    transaction.on_commit(record)


def kept_copy(stale_key):
    """The last good copy under `stale_key`, if drawn after the last takedown; else None."""
    found = cache_call("get_many", [stale_key, TAKEDOWN_KEY], default={})
    kept, taken_down = found.get(stale_key), found.get(TAKEDOWN_KEY)
    if kept is None or taken_down is None:
        return None
    started, frozen = kept
    return frozen if started > taken_down else None


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


def request_content_version(request):
    """`content_version()`, looked up once per request."""
    if not hasattr(request, "_content_version"):
        request._content_version = content_version()
    return request._content_version


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
    if request is None or settings.FRAGMENT_CACHE_SECONDS <= 0 or is_signed_in(request):
        return render()
    version = request_content_version(request)
    if version is None:
        return render()
    key = fragment_key(request, name, parts, version)
    html = cache_call("get", key)
    if html is None:
        html = render()
        cache_call("set", key, html, settings.FRAGMENT_CACHE_SECONDS)
    return html


# Page cache ---------------------------------------------------------------------------


def excluded_prefixes():
    prefixes = ["/" + settings.ADMIN_PATH, settings.STATIC_URL, settings.MEDIA_URL]
    prefixes += getattr(settings, "PAGE_CACHE_EXCLUDE", [])
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
            settings.PAGE_CACHE_SECONDS <= 0
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
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            set_response_etag(response)
            frozen = freeze(response)
            cache_call("set", key, frozen, settings.PAGE_CACHE_SECONDS)
            cache_call("set", stale_key, (started, frozen), STALE_SECONDS)
        response["X-Cache"] = "MISS"
        return response

"""The site's cache, which may fail: one guarded call, the content version, takedowns.

Pages and fragments (lechan/pagecache.py) are kept under the site's content version. Any
save or delete of a model of a registered content app (lechan/content.py) starts a new
version, so every page shows the change on its next request; the version also ends when
the next scheduled item (a registered `schedule` field) goes live, so scheduled
publication still needs no cron job.

The cache is an optimisation, never a dependency: when the backend fails (Redis
down) every call here logs a warning and the page is served from the database. A
last good copy of each page is kept apart, for readers during a database outage; taking
an item down (a model registered with `watch_takedowns`) retires every copy kept before.
"""

import logging
import math
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "page:version"
# When an item was last taken down: kept copies drawn before then are never served.
TAKEDOWN_KEY = "page:taken-down"
# After a failure the backend is left alone for this long: a cache that times out
# would otherwise cost every request its timeout.
RETRY_SECONDS = 5

_down_until = {}
FAILED = object()
# The apps whose changes start a new content version, and their models' schedule fields.
_watched_apps = set()
_schedules = {}


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


def watch_changes(model, schedule=None):
    """Start a new content version on any change to a model of `model`'s app.

    `schedule`: the field of `model` that holds when an item goes live; the version ends
    then. The signals are connected once for every sender, in `LechanConfig.ready`.
    """
    _watched_apps.add(model._meta.app_label)
    if schedule:
        _schedules[model] = schedule


def next_scheduled(now):
    """The earliest future value of the watched schedule fields, or None."""
    moments = []
    for model, field in _schedules.items():
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
        settings.LECHAN_PAGE_CACHE_SECONDS,
        settings.LECHAN_FRAGMENT_CACHE_SECONDS,
        settings.LECHAN_FACET_SUMMARY_SECONDS,
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
    if sender._meta.app_label in _watched_apps:
        bump_content_version(scheduled_moment(sender, kwargs.get("instance")))


def scheduled_moment(model, instance):
    """The instance's value of its model's schedule field, if any."""
    field = _schedules.get(model)
    if field is None or instance is None:
        return None
    return getattr(instance, field, None)


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


def request_content_version(request):
    """`content_version()`, looked up once per request."""
    if not hasattr(request, "_content_version"):
        request._content_version = content_version()
    return request._content_version

"""The content apps, as the core knows them: each registers here from its `AppConfig.ready()`.

The core imports no app and names none. An app declares once what the core's services
need from it, and `register` hands each part to its service: search indexing, page-cache
invalidation (any change to a model of the app starts a new content version; a scheduled
field ends it when its item goes live), takedown watching, the newsroom roles (what a
reporter may do; an editor may do everything in a registered app) and the sitemap.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from lechan import cache
from lechan import search as search_index


@dataclass(frozen=True)
class Content:
    """What one content model declares (see `register`)."""

    model: type
    schedule: str | None = None
    reporter_permissions: tuple = ()
    list_sitemap: type | None = None
    sitemap: type | None = None
    search: dict = field(default_factory=dict)


_registered = {}  # model label → Content


def register(model, *, search=None, schedule=None, reporter_permissions=(), sitemaps=None):
    """Plug `model`'s app into the core.

    `search`: the fields `lechan.search.register` indexes (title, lead, body); `schedule`:
    the field that holds when an item goes live; `reporter_permissions`: the codenames of
    the app a reporter is given; `sitemaps`: `{"list": …, "items": …}`, the Sitemap classes
    of the app's list pages and of its items. The model's default manager offers
    `published()` and its instances `is_public` (takedowns).
    """
    sitemaps = sitemaps or {}
    content = Content(
        model=model,
        schedule=schedule,
        reporter_permissions=tuple(reporter_permissions),
        list_sitemap=sitemaps.get("list"),
        sitemap=sitemaps.get("items"),
        search=search or {},
    )
    others = [other for other in registered() if other.model is not model]
    if sitemaps_of([content]).keys() & sitemaps_of(others).keys():
        raise ImproperlyConfigured(
            f"{model._meta.label}: its app already has a sitemap of that kind in the index."
        )
    _registered[model._meta.label] = content
    if content.search:
        search_index.register(model, **content.search)
    cache.watch_changes(model, schedule=schedule)
    cache.watch_takedowns(model)


def registered():
    """Every registered content model's declaration, in the order the apps registered."""
    return list(_registered.values())


def app_labels():
    """The labels of the apps that hold registered content."""
    return {content.model._meta.app_label for content in registered()}


def reporter_permissions():
    """{app label: [codename, …]}: what a reporter is given in each content app."""
    granted = {}
    for content in registered():
        label = content.model._meta.app_label
        granted.setdefault(label, []).extend(content.reporter_permissions)
    return granted


def sitemaps():
    """The registered sitemaps: every app's list pages first, then every app's items."""
    return sitemaps_of(registered())


def sitemaps_of(contents):
    """The sitemap index's sections of `contents`, named as their addresses show them."""
    lists = {
        f"{content.model._meta.model_name}-list": content.list_sitemap
        for content in contents
        if content.list_sitemap
    }
    items = {
        content.model._meta.app_label: content.sitemap for content in contents if content.sitemap
    }
    return lists | items

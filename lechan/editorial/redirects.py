"""Old addresses of moved items: recorded when a published item's slug changes, answered with 301.

Like django.contrib.redirects, but without the sites framework (which would change the
host name in feeds and sitemaps): one table of paths, consulted only when a page is not found.
The table is kept by `Redirect.objects` (`record_move`, `lead_back`, `is_reserved`).
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from lechan.models import PublicItem, Redirect


def leads_to_public_page(path):
    """Whether the public may follow a redirect to `path`: an item's page only while the item
    is public, so that a taken-down or scheduled item's new address (its new title) is not
    given away; any other page of the site, always."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    for model in apps.get_models():
        if issubclass(model, PublicItem) and match.view_name == model.detail_route:
            return model.objects.published().filter(slug=match.kwargs.get("slug")).exists()
    return True


class RedirectFallbackMiddleware:
    """Answer a 404 with a permanent redirect when the path is a recorded old address that
    leads to a page the public may read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # NUL cannot be stored in a PostgreSQL text column, so no old address holds one.
        if response.status_code != 404 or "\x00" in request.path:
            return response
        target = Redirect.objects.filter(old_path=request.path).values_list("new_path", flat=True)
        for new_path in target:
            if not leads_to_public_page(new_path):
                break
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{new_path}?{query}" if query else new_path)
        return response

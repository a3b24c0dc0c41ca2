"""Debug mode (`DJANGO_DEBUG=1`, the local default) as a newcomer meets it.

A reader's missing page is the site's Vietnamese 404 page, as in production, not Django's
technical one (the admin keeps Django's: it lists the addresses there are). Django's own
debug pages stay readable: lechan/middleware.py allows their inline styles by hash.
"""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404
from django.views.defaults import page_not_found

# Both of Django's debug pages (technical_404.html, technical_500.html) carry this tag.
DEBUG_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'


def is_debug_page(response):
    """Django's technical 404 or 500 page (drawn in debug only)."""
    if not settings.DEBUG or response.streaming:
        return False
    return "html" in response.get("Content-Type", "") and DEBUG_PAGE_MARK in response.content


def is_public(request):
    return not request.path.startswith("/" + settings.LECHAN_ADMIN_PATH)


class SiteNotFoundMiddleware:
    """In debug, a public address that is not found answers templates/404.html.

    In production Django's handler404 draws that page already. An address no URL matches
    is seen here after CommonMiddleware (a missing slash) and the redirects had their say.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        unmatched = response.status_code == 404 and request.resolver_match is None
        if unmatched and settings.DEBUG and is_public(request):
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and settings.DEBUG and is_public(request):
            return page_not_found(request, exception)
        return None

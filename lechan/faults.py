"""A database outage answers a Vietnamese 503 page, never a traceback.

The page is drawn without the database (no request context: no session, no user),
and the next request tries the database again, so the site recovers by itself.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def render_page(template_name, fallback):
    try:
        return loader.render_to_string(template_name)
    except Exception:  # the error page must not fail in turn
        logger.exception("Could not render %s", template_name)
        return fallback


def service_unavailable():
    """The 503 page; `database_unavailable` lets the page cache offer its last copy."""
    page = render_page("503.html", "<h1>Hệ thống tạm thời gián đoạn</h1>")
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view or its template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return service_unavailable()
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database is what failed (in a middleware, say)."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable()
    return HttpResponseServerError(render_page(template_name, "<h1>Lỗi máy chủ (500)</h1>"))

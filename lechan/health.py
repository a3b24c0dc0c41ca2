"""/healthz/ for load balancers: 200 while the database answers, 503 when it does not.

A failing cache is reported but keeps the answer 200: the site serves without it.
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from lechan.cache import FAILED, cache_call


@never_cache
def healthz(request):
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        checks["database"] = "unavailable"
    if cache_call("get", "healthz", default=FAILED) is FAILED:
        checks["cache"] = "unavailable"
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)

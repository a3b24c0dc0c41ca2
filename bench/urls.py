"""The site's URLs plus /__bare__/: a fixed 20 KB page through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from lechan.urls import urlpatterns as site_urlpatterns

BARE_PAGE = ("<!doctype html><html lang='vi'><body>" + "Lê Chân " * 2500 + "</body></html>")[:20480]


def bare(request):
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("__bare__/", bare), *site_urlpatterns]

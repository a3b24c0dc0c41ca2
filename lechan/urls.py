from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles.views import KeyFigureListView
from lechan import content, health
from lechan.admin import view_on_site
from lechan.site import views
from lechan.site.sitemaps import HomeSitemap

admin.site.site_header = "Quản trị cổng thông tin quận Lê Chân"
admin.site.site_title = "Quản trị Lê Chân"
admin.site.index_title = "Nội dung"

# The home page, then each content app's list pages and items, as the apps registered them.
sitemaps = {"home": HomeSitemap, **content.sitemaps()}

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("tin-tuc/", include("articles.urls")),
    path("du-an/", include("projects.urls")),
    path("so-lieu/", KeyFigureListView.as_view(), name="figures"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("healthz/", health.healthz, name="healthz"),
    # Before the admin's own: only to an item the user may read there.
    path(
        f"{settings.LECHAN_ADMIN_PATH}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path(settings.LECHAN_ADMIN_PATH, admin.site.urls),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Faults: a database outage answers the Vietnamese 503 page instead of the 500 one.
handler500 = "lechan.faults.server_error"

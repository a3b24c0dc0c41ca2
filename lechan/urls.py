from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap
from lechan import views
from projects.sitemaps import ProjectSitemap

admin.site.site_header = "Quản trị cổng thông tin quận Lê Chân"
admin.site.site_title = "Quản trị Lê Chân"
admin.site.index_title = "Nội dung"

sitemaps = {"articles": ArticleSitemap, "projects": ProjectSitemap}

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("tin-tuc/", include("articles.urls")),
    path("du-an/", include("projects.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

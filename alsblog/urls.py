from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.sitemaps import SITEMAPS, sitemap_page
from core import health
from core.views import RobotsView, favicon, media
from pagecache.serving import cached_page
from pages.sitemaps import PageSitemap

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Articles and comments"
# The list pages need the width more than a second menu: the moderation queue has six columns.
admin.site.enable_nav_sidebar = False

# A database restart answers "back in a minute" (503), not the 500 page (core/unavailable.py).
handler500 = "core.unavailable.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        cached_page(sitemap_page, listing=True),
        {"sitemaps": {**SITEMAPS, "pages": PageSitemap}},
        name="sitemap",
    ),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("health/", health.health, name="health"),
    path("health/live/", health.live, name="health-live"),
    path("favicon.ico", favicon),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"),
    path("", include("comments.urls")),
    path("", include("subscriptions.urls")),
    path("", include("pages.urls")),
    path("", include("articles.urls")),
]

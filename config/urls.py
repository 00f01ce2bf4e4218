from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from articles import sitemaps, two_factor, views, wordpress_feeds, wordpress_uploads
from articles.access import password_reset_urls
from articles.health import healthz

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Publishing")
admin.site.login_form = two_factor.TwoFactorAuthenticationForm

urlpatterns = [
    # Before the admin, whose catch-all would answer these paths with a 404.
    *password_reset_urls(settings.ADMIN_URL),
    path(f"{settings.ADMIN_URL}two-factor/", two_factor.setup, name="two_factor_setup"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemaps"),
    # The WordPress REST API (read-only), where WordPress clients look for it.
    path("wp-json/", include("articles.api.urls")),
    # The old site's media files and feeds, at their WordPress addresses.
    path("wp-content/uploads/<path:path>", wordpress_uploads.redirect_upload),
    path("", include(wordpress_feeds)),
]
if settings.MEDIA_STORAGE == "filesystem":
    # Uploaded media on the local disk. In production a CDN or object storage
    # (MEDIA_STORAGE=s3) serves media instead.
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
# The home page of the reader's language (a redirect, never kept: it varies).
urlpatterns.append(path("", views.root, name="root"))
# Readers' pages under their language: /en/…, /nl/…, one per settings.LANGUAGES.
urlpatterns += i18n_patterns(path("", include("articles.urls")))

handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"

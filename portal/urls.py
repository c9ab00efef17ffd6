from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import coverage_views, feedback_views, health, views
from search import urls as search_urls

handler500 = "portal.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/doors", views.doors_api, name="api-doors"),
    path("api/hsds/", include("directory.api_urls")),
    *search_urls.api_urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.DEBUG or settings.OVI_SERVE_MEDIA:
    # Uploaded media: in production the reverse proxy serves MEDIA_ROOT and this is
    # off; OVI_SERVE_MEDIA=1 is for a single server with nothing in front of it.
    from django.views.static import serve as serve_media

    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT}),
    ]

# Finnish, the default language, is served without a prefix.
urlpatterns += i18n_patterns(
    *search_urls.page_urlpatterns,
    # Error reports on their own, never-cached page (see portal/feedback_views.py).
    path("ilmoita-virheesta/", feedback_views.report_error, name="report-error"),
    path("ilmoita-virheesta/kiitos/", feedback_views.report_error_thanks, name="report-error-thanks"),
    # Professionals' coverage report (portal.coverage_views): one untranslated path, like haku/.
    path("kattavuus/", coverage_views.coverage_index, name="coverage"),
    path("kattavuus/<str:code>/", coverage_views.coverage_county, name="coverage-county"),
    path("kattavuus/<str:code>/csv/", coverage_views.coverage_county_csv, name="coverage-county-csv"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from directory import audit_views
from portal import accounts, coverage_views, feedback_views, health, oidc, security_txt, two_factor, views
from search import urls as search_urls

handler500 = "portal.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(".well-known/security.txt", security_txt.security_txt, name="security-txt"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the static icon
    # (a hashed, long-cached file under whitenoise's manifest storage in production).
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/v1/doors", views.doors_api, name="api-doors"),
    path("api/hsds/", include("directory.api_urls")),
    *search_urls.api_urlpatterns,
    # Reports → Site history narrowed to the directory records the user may edit
    # (directory/audit_views.py); ahead of Wagtail's admin URLs so it replaces theirs.
    path("admin/reports/site-history/", audit_views.site_history),
    path("admin/reports/site-history/results/", audit_views.site_history_results),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    # Single sign-on through the county's identity provider (portal.oidc): 404 unless
    # configured; untranslated, as the provider is told one callback address.
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]

# Django's own admin is for the developers' and operators' use only: off in
# production unless OVI_DJANGO_ADMIN=1 (docs/security.md).
if settings.OVI_DJANGO_ADMIN:
    urlpatterns.append(path("django-admin/", admin.site.urls))

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
    # Professionals' sign-in on the site (portal.accounts): untranslated paths, like haku/.
    path("kirjaudu/", accounts.SignInView.as_view(), name="login"),
    path("kirjaudu-ulos/", accounts.sign_out, name="logout"),
    path("kirjaudu/vahvista/", two_factor.verify, name="two_factor_verify"),
    path("kirjaudu/kaksivaiheinen/", two_factor.manage, name="two_factor"),
    path("kirjaudu/salasana/", accounts.ResetRequestView.as_view(), name="password_reset"),
    path("kirjaudu/salasana/lahetetty/", accounts.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kirjaudu/salasana/<uidb64>/<token>/",
        accounts.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("kirjaudu/salasana/valmis/", accounts.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

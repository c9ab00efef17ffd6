"""Routes of search, included by portal/urls.py: the JSON API outside the language
prefixes, the page inside i18n_patterns (/haku/, /sv/haku/, /en/haku/)."""

from django.urls import path

from . import api, views

api_urlpatterns = [
    path("api/v1/search", api.search_api, name="api-search"),
    path("api/v1/suggest", api.suggest_api, name="api-suggest"),
    path("api/v1/openapi.json", api.openapi_api, name="api-openapi"),
]

# One untranslated path in every language: addresses stay stable and shareable
# whatever the catalogues say, and the language switcher keeps the search.
page_urlpatterns = [
    path("haku/", views.search_page, name="search"),
]

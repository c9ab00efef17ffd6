"""Selectors for the site shell: menus and links to the other languages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Locale, Page

from models_library import privacy
from portal.caching import memoized
from portal.models import HomePage, Menu


def menu_links(placement, request=None):
    """Links of the menu for the active language, falling back to the default one.
    A page the visitor may not see (models_library.privacy) is left out: its title is content.

    Every page shows the header and footer menus, so for anonymous visitors (who all see
    the same links) they are built once per content generation (portal.caching.memoized:
    any content write rebuilds them) for each language and host (links may be absolute
    when the request's site is another one)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _menu_links(placement, request, user)
    host = request.get_host() if request is not None else ""
    key = ("menu_links", placement, translation.get_language(), host)
    return [dict(link) for link in memoized(key, lambda: _menu_links(placement, request, user))]


def _menu_links(placement, request, user):
    active = Locale.get_active()
    menu = (
        Menu.objects.filter(placement=placement, locale=active).first()
        or Menu.objects.filter(placement=placement, locale=Locale.get_default()).first()
    )
    if menu is None:
        return []
    items = list(menu.items.select_related("link_page"))
    pages = _localized_pages([item.link_page for item in items if item.link_page is not None], active)
    allowed = {page.pk for page in privacy.listable([page for page in pages.values() if page.live], user)}
    links = []
    for item in items:
        if item.link_page is None:
            links.append({"title": item.label, "url": item.link_url})
            continue
        page = pages[item.link_page.pk]
        if page.pk in allowed:
            links.append({"title": item.label or page.title, "url": page.get_url(request)})
    return links


def _localized_pages(pages, locale):
    """{page pk: its live translation in `locale`, or the page itself} in one query
    (Wagtail's `Page.localized`, which costs two queries per page)."""
    translations = {
        page.translation_key: page
        for page in Page.objects.live().filter(
            locale=locale, translation_key__in=[page.translation_key for page in pages]
        )
    }
    return {page.pk: translations.get(page.translation_key, page) for page in pages}


def language_links(request, page=None):
    """One link per language, pointing at the same content in that language: the
    page's translation, with the same route inside a routable page (a directory
    record, the comparison) and the same query string (a door result's place and
    moment, a listing's filters); a Django view through `translate_url`, which
    keeps the query string.

    A page without a translation links to that language's home page rather than
    to a missing page.
    """
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated
    route = _routed_path(request, page)
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        if page is not None and page.pk:
            target = translations.get(code)
            if target is not None:
                url = (target.get_url(request) or "/") + route + (f"?{query}" if query else "")
            else:
                home = _home_page(code)
                url = home.get_url(request) if home else "/"
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _routed_path(request, page):
    """The part of the request path a routable page routed below its own URL
    ("palvelu/<uid>/", "vertaa/"); "" for other pages. The route segments are the
    same in every language (directory.models.pages.DETAIL_ROUTES)."""
    if not isinstance(page, RoutablePageMixin) or not page.pk:
        return ""
    own = urlsplit(page.get_url(request) or "").path
    path = request.path
    if own and path.startswith(own) and path != own:
        return path[len(own) :]
    return ""


def _home_page(language_code):
    return HomePage.objects.live().filter(locale__language_code=language_code).first()

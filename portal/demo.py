"""Demo content for the site shell: locales, home pages, standard pages, menus.

Every loader here is idempotent: it finds its objects by a stable key
(translation_key, slug) and only writes when the wanted content differs, so
running load_demo twice changes nothing.
"""

import copy
import uuid

from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from portal import demo_content
from portal.models import HomePage, Menu, MenuItem, StandardPage

DEMO_NAMESPACE = uuid.UUID("5b0f4c1e-8d2a-4e8f-9c61-1f0a3e7d2b90")
LANGUAGES = ("fi", "sv", "en")


def demo_key(name):
    """Stable translation key for a demo page, shared by its language versions."""
    return uuid.uuid5(DEMO_NAMESPACE, name)


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}


def _stream_as_data(stream_value):
    return [{"type": block["type"], "value": block["value"]} for block in stream_value.raw_data]


def _differs(page, fields):
    for name, wanted in fields.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            current = _stream_as_data(current)
        if current != wanted:
            return True
    return False


def ensure_page(parent, page_class, *, key, locale, **fields):
    """Create or update a published page identified by (translation key, locale)."""
    # Wagtail writes block ids into stream data it is given; keep the caller's copy clean.
    fields = copy.deepcopy(fields)
    page = page_class.objects.filter(translation_key=key, locale=locale).first()
    if page is None:
        page = page_class(translation_key=key, locale=locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    if _differs(page, fields) or not page.live:
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
    return page


def remove_wagtail_welcome_page():
    """Wagtail's migrations create a plain "Welcome" page as the site root; Ovi has its own."""
    for page in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
        if not page.get_children().exists():
            Site.objects.filter(root_page=page).delete()
            page.delete()


def ensure_tree_roots(locale):
    """The page and collection roots Wagtail's migrations create; a flushed database lacks them."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    return root


def ensure_home_pages(locales):
    remove_wagtail_welcome_page()
    root = ensure_tree_roots(locales["fi"])
    homes = {}
    for code in LANGUAGES:
        content = demo_content.HOME[code]
        homes[code] = ensure_page(
            root,
            HomePage,
            key=demo_key("home"),
            locale=locales[code],
            slug=f"ovi-{code}",
            title=content["title"],
            intro=content["intro"],
            body=content["body"],
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=homes["fi"], is_default_site=True, site_name="Ovi"
        )
    elif site.root_page_id != homes["fi"].pk:
        site.root_page = homes["fi"]
        site.save()
    return homes


def ensure_standard_pages(homes, locales, name, texts):
    pages = {}
    for code in LANGUAGES:
        content = texts[code]
        pages[code] = ensure_page(
            homes[code],
            StandardPage,
            key=demo_key(name),
            locale=locales[code],
            slug=content["slug"],
            title=content["title"],
            intro=content["intro"],
            body=content["body"],
        )
    return pages


def ensure_menu(placement, locale, pages):
    menu, _ = Menu.objects.get_or_create(placement=placement, locale=locale)
    wanted = [page.pk for page in pages]
    current = list(menu.items.order_by("sort_order").values_list("link_page_id", flat=True))
    if current != wanted:
        menu.items.all().delete()
        for order, page in enumerate(pages):
            MenuItem.objects.create(menu=menu, link_page=page, sort_order=order)
    return menu


@transaction.atomic
def load_site_shell(menus=True):
    """Home pages and the standard pages, with their menus. Returns the pages by role."""
    locales = ensure_locales()
    homes = ensure_home_pages(locales)
    pages = {
        "homes": homes,
        "about": ensure_standard_pages(homes, locales, "about", demo_content.ABOUT),
        "accessibility": ensure_standard_pages(homes, locales, "accessibility", demo_content.ACCESSIBILITY),
        "privacy": ensure_standard_pages(homes, locales, "privacy", demo_content.PRIVACY),
    }
    if menus:
        ensure_menus(pages)
    return pages


def ensure_menus(pages):
    for code in LANGUAGES:
        locale = pages["homes"][code].locale
        header = [pages[name][code] for name in ("library", "about") if name in pages]
        ensure_menu(Menu.HEADER, locale, header)
        footer = [pages[name][code] for name in ("accessibility", "privacy", "about")]
        ensure_menu(Menu.FOOTER, locale, footer)


@transaction.atomic
def load_all():
    """Everything `manage.py load_demo` loads, in dependency order."""
    from directory.geography import load_geography
    from directory.reference import ensure_target_groups
    from models_library import demo as library_demo
    from models_library.reference import ensure_funders

    load_geography()
    ensure_target_groups()
    ensure_funders()
    pages = load_site_shell(menus=False)
    pages["library"] = library_demo.ensure_library(pages["homes"], ensure_page)
    ensure_menus(pages)
    if library_demo.DEMO_FILE.exists():
        library_demo.load_demo_models()
    return pages

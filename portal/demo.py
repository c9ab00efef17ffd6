"""Demo content for the site shell: locales, home pages, standard pages, menus.

Every loader here is idempotent: it finds its objects by a stable key
(translation_key, slug) and only writes when the wanted content differs, so
running load_demo twice changes nothing.
"""

import copy
import json
import uuid
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Collection, Locale, Page, Site

from directory.demo import ensure_directory_pages, load_directory_demo
from directory.geography import load_geography
from directory.models import LifeSituation
from directory.reference import ensure_target_groups
from models_library import demo as library_demo
from models_library.reference import ensure_funders
from portal import demo_content
from portal.models import HomePage, Menu, MenuItem, PathwayIndexPage, PathwayPage, SiteSettings, StandardPage
from search.indexing import rebuild
from search.localization import LANGUAGE_CODES
from search.signals import paused

DEMO_NAMESPACE = uuid.UUID("5b0f4c1e-8d2a-4e8f-9c61-1f0a3e7d2b90")


def demo_key(name):
    """Stable translation key for a demo page, shared by its language versions."""
    return uuid.uuid5(DEMO_NAMESPACE, name)


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGE_CODES}


def _stream_as_data(stream_value):
    return [{"type": block["type"], "value": block["value"]} for block in stream_value.raw_data]


def _is_child_relation(page, name):
    field = page._meta.get_field(name) if name in {f.name for f in page._meta.get_fields()} else None
    return field is not None and field.one_to_many


def _current_value(page, name, wanted):
    current = getattr(page, name)
    if hasattr(current, "raw_data"):
        return _stream_as_data(current)
    if _is_child_relation(page, name):
        return [{key: getattr(child, key) for key in row} for child, row in zip(current.all(), wanted)] + (
            [None] * (current.count() - len(wanted))
        )
    return current


def _differs(page, fields):
    return any(_current_value(page, name, wanted) != wanted for name, wanted in fields.items())


def _assign(page, fields):
    """Set fields; child relations are given as lists of dicts and replace the children."""
    for name, value in fields.items():
        if _is_child_relation(page, name):
            model = page._meta.get_field(name).related_model
            # Explicit order: PostgreSQL does not return equal sort_order values in insertion order.
            value = [model(sort_order=position, **row) for position, row in enumerate(value)]
        setattr(page, name, value)


def ensure_page(parent, page_class, *, key, locale, **fields):
    """Create or update a published page identified by (translation key, locale)."""
    # Wagtail writes block ids into stream data it is given; keep the caller's copy clean.
    fields = copy.deepcopy(fields)
    page = page_class.objects.filter(translation_key=key, locale=locale).first()
    if page is None:
        page = page_class(translation_key=key, locale=locale)
        _assign(page, fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    if _differs(page, fields) or not page.live:
        _assign(page, fields)
        page.save_revision().publish()
    return page


def remove_wagtail_welcome_page():
    """Wagtail's migrations create a plain "Welcome" page as the site root; Ovi has its own."""
    for page in Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ):
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
    for code in LANGUAGE_CODES:
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
    # Created here rather than lazily on the first page view, so serving a page never writes.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return homes


def ensure_standard_pages(homes, locales, name, texts):
    pages = {}
    for code in LANGUAGE_CODES:
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
    for code in LANGUAGE_CODES:
        locale = pages["homes"][code].locale
        header = [
            pages[name][code] for name in ("pathways", "directory", "library", "about") if name in pages
        ]
        ensure_menu(Menu.HEADER, locale, header)
        footer = [pages[name][code] for name in ("accessibility", "privacy", "about")]
        ensure_menu(Menu.FOOTER, locale, footer)


@transaction.atomic
def load_all():
    """Everything `manage.py load_demo` loads, then the search index built anew.

    Signal-driven index updates are paused while loading (thousands of saves
    would each queue a task); the rebuild at the end indexes everything once.
    Wagtail's own background tasks (its reference and search indexes) run
    inline meanwhile, so the demo is complete when this returns, with or
    without a task worker.
    """

    inline_tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with paused(), override_settings(TASKS=inline_tasks):
        pages = _load_content()
    rebuild()
    return pages


def _load_content():
    """Everything `manage.py load_demo` loads, in dependency order."""

    load_geography()
    ensure_target_groups()
    ensure_funders()
    pages = load_site_shell(menus=False)
    pages["library"] = library_demo.ensure_library(pages["homes"], ensure_page)
    if library_demo.DEMO_FILE.exists():
        library_demo.load_demo_models()
    load_directory_demo()
    pages["directory"] = ensure_directory_pages(pages["homes"])
    pages["pathways"] = ensure_pathways(pages["homes"])
    ensure_menus(pages)
    return pages


PATHWAYS_FILE = Path(__file__).resolve().parent / "demo" / "pathways.json"


def ensure_pathways(homes):
    """The door finder and one pathway page per life situation, in every language."""
    data = json.loads(PATHWAYS_FILE.read_text(encoding="utf-8"))
    index = {
        code: ensure_page(
            homes[code],
            PathwayIndexPage,
            key=demo_key("pathways"),
            locale=homes[code].locale,
            title=data["index"]["title"][code],
            slug=data["index"]["slug"][code],
            intro=data["index"]["intro"][code],
        )
        for code in LANGUAGE_CODES
    }
    for item in data["pathways"]:
        situation = LifeSituation.objects.get(slug=item["situation"])
        for code in LANGUAGE_CODES:
            ensure_page(
                index[code],
                PathwayPage,
                key=demo_key(f"pathway:{item['situation']}"),
                locale=homes[code].locale,
                title=item["title"][code],
                slug=item["slug"][code],
                life_situation=situation,
                intro=item["intro"][code],
                what_to_prepare="\n".join(item["what_to_prepare"][code]),
                show_emergency_notice=item["acute"],
                professional_notes=item["professional_notes"].get(code) or item["professional_notes"]["fi"],
                default_steps=[
                    {
                        "title": s["title"][code],
                        "description": s["description"][code],
                        "time": (s.get("time") or {}).get(code, ""),
                    }
                    for s in item["default_steps"]
                ],
                rights=[
                    {"text": r["text"][code], "legal_basis": r["legal_basis"][code]} for r in item["rights"]
                ],
                alternatives=[
                    {
                        "name": a["name"][code],
                        "description": a["description"][code],
                        "phone": a.get("phone") or "",
                        "url": a.get("url") or "",
                        "is_chat": bool(a.get("chat")),
                    }
                    for a in item["alternatives"]
                ],
            )
    return index

"""Wagtail page privacy, honoured everywhere a page's content can surface
(DESIGN.md, "Data rules"; the rule is described in docs/models-library.md).

Wagtail checks a page's view restrictions (`PageViewRestriction`: login,
password, groups) only when the page itself is served. Ovi shows pages'
content in many other places: the models library listing and comparison, a
model's translations (which show the Finnish sections), the pathway's "what
happens next" and the doors API (steps of an operating model), lists of
pathways and models, menus, and search. This module is the one rule they all
use. It is the lowest app that needs it (portal imports it; `search` imports
no app, so the search sources apply it themselves).

Which restrictions apply to a page:
    those on the page or any ancestor (as Wagtail), and those on its
    canonical page — the Finnish page with the same `translation_key` — or any
    of *its* ancestors: a translation shows the canonical page's content, so it
    is exactly as private. (A restriction of type "none" restricts nothing.)

Who passes a restriction depends on where the content is shown:

- **The page itself** (`can_view`, the `on_serve_page` hook in
  models_library/wagtail_hooks.py): Wagtail's `accept_request` — login: signed
  in; groups: a member of one of the groups, or a superuser; password: this
  session has given the password.
- **Lists, other pages, APIs** (`visible`, `can_list`): login: signed in;
  groups: a member or a superuser; password: nobody. A shared password opens a
  page in one browser; it never puts the page in a listing, a comparison, a
  pathway's steps or an API answer, for anyone (editors see it in the admin).
- **Search documents** (`public`, `is_public`): only pages no restriction
  applies to. A restricted page is not indexed at all, for any audience, so no
  search, suggestion, facet count or did-you-mean can reveal it, on any engine.

The page cache (portal/caching.py) only keeps answers to visitors without a
session, and every signed-in user has one, so what a signed-in user is shown
never reaches an anonymous one.
"""

import contextvars
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction
from wagtail.signals import post_page_move

from search.signals import is_paused, schedule_update

CANONICAL_LANGUAGE = "fi"

LOGIN = BaseViewRestriction.LOGIN
GROUPS = BaseViewRestriction.GROUPS
PASSWORD = BaseViewRestriction.PASSWORD


# Within one request (request_scope(), opened by portal.middleware.PrivacyScopeMiddleware)
# the restrictions are read once: a page asks for them in its view, its menus and its
# hooks (two queries each time). Any write in the request forgets them (a restriction
# saved or a page moved in this request is seen by what follows); outside a request
# (tests, commands, tasks) they are read every time.
_scope = contextvars.ContextVar("ovi_privacy_scope", default=None)


@contextmanager
def request_scope():
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def _forget(**kwargs):
    memo = _scope.get()
    if memo:
        memo.clear()


post_save.connect(_forget, dispatch_uid="models_library.privacy.forget.post_save")
post_delete.connect(_forget, dispatch_uid="models_library.privacy.forget.post_delete")
m2m_changed.connect(_forget, dispatch_uid="models_library.privacy.forget.m2m_changed")


def restrictions():
    """Every restriction that restricts something (a site has a handful)."""
    memo = _scope.get()
    if memo is not None and "restrictions" in memo:
        return memo["restrictions"]
    found = list(
        PageViewRestriction.objects.exclude(restriction_type=BaseViewRestriction.NONE)
        .select_related("page")
        .prefetch_related("groups")
    )
    if memo is not None:
        memo["restrictions"] = found
    return found


def _user_group_ids(user):
    if user is None or not user.is_authenticated:
        return set()
    return set(user.groups.values_list("pk", flat=True))


def passes_in_lists(restriction, user, group_ids=None):
    """May `user` see content behind `restriction` anywhere but on the page itself?"""
    if user is None or not user.is_authenticated:
        return False
    if restriction.restriction_type == LOGIN:
        return True
    if restriction.restriction_type == GROUPS:
        if user.is_superuser:
            return True
        if group_ids is None:
            group_ids = _user_group_ids(user)
        return any(group.pk in group_ids for group in restriction.groups.all())
    return False  # a password: never outside the page itself


def _blocked(user):
    found = restrictions()
    if not found or user is None or not user.is_authenticated:
        return found
    group_ids = _user_group_ids(user)
    return [r for r in found if not passes_in_lists(r, user, group_ids)]


def _under_q(blocked):
    under = Q()
    for restriction in blocked:
        under |= Q(path__startswith=restriction.page.path)
    return under


def _canonical_keys(subtrees):
    """The translation keys of the canonical pages in `subtrees` (a Q), as a subquery."""
    return Page.objects.filter(subtrees, locale__language_code=CANONICAL_LANGUAGE).values("translation_key")


def _blocked_q(blocked):
    """Pages behind the blocked restrictions: in their subtrees, or translations
    of a canonical page in their subtrees."""
    under = _under_q(blocked)
    return under | Q(translation_key__in=_canonical_keys(under))


def visible(queryset, user=None):
    """The pages of `queryset` that `user` may see outside the pages themselves
    (lists, other pages, APIs). `user` None is an anonymous visitor."""
    blocked = _blocked(user)
    return queryset.exclude(_blocked_q(blocked)) if blocked else queryset


def public(queryset):
    """The pages of `queryset` no restriction applies to: what search may index."""
    return visible(queryset, None)


def _paths(page):
    """The tree paths whose restrictions apply to the page: its own, its alias
    source's and its canonical page's."""
    paths = [page.path]
    if page.alias_of_id:
        paths += Page.objects.filter(pk=page.alias_of_id).values_list("path", flat=True)
    paths += (
        Page.objects.filter(translation_key=page.translation_key, locale__language_code=CANONICAL_LANGUAGE)
        .exclude(pk=page.pk)
        .values_list("path", flat=True)
    )
    return paths


def restrictions_for(page):
    """The restrictions that apply to the page (see the module docstring)."""
    found = restrictions()
    if not found:
        return []
    paths = _paths(page)
    return [r for r in found if any(path.startswith(r.page.path) for path in paths)]


def can_view(page, request):
    """May this request see the page itself (Wagtail's rule, the canonical page's restrictions included)?"""
    return all(restriction.accept_request(request) for restriction in restrictions_for(page))


def can_list(page, user=None):
    """May `user` see the page's title or content outside the page itself?"""
    return bool(listable([page], user))


def listable(pages, user=None):
    """The pages of a list (of Page instances) that `user` may see outside the pages themselves."""
    blocked = _blocked(user)
    if not blocked:
        return list(pages)
    return [
        page
        for page in pages
        if not any(path.startswith(r.page.path) for path in _paths(page) for r in blocked)
    ]


def is_public(page):
    return not restrictions_for(page)


def affected_pages(page):
    """Pages whose privacy follows `page`'s: its subtree and the translations
    of the canonical pages in it (a restriction on `page` covers them all)."""
    subtree = Q(path__startswith=page.path)
    return Page.objects.filter(subtree | Q(translation_key__in=_canonical_keys(subtree)))


def reindex_on_privacy_change(sources):
    """Re-index the documents of `sources` (TranslatedPageSource: `name`, `model`)
    whose pages' privacy changes: a view restriction created, changed or
    deleted on the page, an ancestor or its canonical page, or a page moved
    (into or out of a restricted section). Queued when the transaction commits,
    as every index update (search.signals)."""

    sources = list(sources)

    def reindex(page, using=DEFAULT_DB_ALIAS):
        if is_paused() or page is None:
            return
        affected = affected_pages(page)
        for source in sources:
            seen = set()
            for candidate in source.model.objects.filter(pk__in=affected.values("pk")).order_by("path"):
                if candidate.translation_key not in seen:
                    seen.add(candidate.translation_key)
                    schedule_update(source.name, candidate, using)

    def restriction_changed(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
        if raw:
            return
        # After a delete that cascaded from the page, the page is gone (its own
        # delete removes its documents).
        reindex(Page.objects.filter(pk=instance.page_id).first(), using)

    def moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
        if getattr(parent_page_before, "pk", None) != getattr(parent_page_after, "pk", None):
            reindex(instance)  # Wagtail sends the page as moved (its new path)

    uid = "ovi-privacy-" + "-".join(source.name for source in sources)
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            restriction_changed, sender=PageViewRestriction, weak=False, dispatch_uid=f"{uid}-{name}"
        )
    post_page_move.connect(moved, weak=False, dispatch_uid=f"{uid}-moved")

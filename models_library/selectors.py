"""Reads of the library: listing with facets, detail-page context, comparison.

Facets are counted in Python over id sets loaded with one query per facet. The
library holds thousands of models at national scale, which this handles in
milliseconds, and it keeps the counting the same on every database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from directory.geography import municipality_centre
from directory.models import Region, TargetGroup, WellbeingCounty
from models_library import privacy, sections
from models_library.choices import INACTIVE_STAGES, EvidenceLevel, Relation, Stage
from models_library.contracts import pages_using
from models_library.models import Funder, OperatingModelPage, Programme, Topic
from models_library.usage import directory_usage, linked_implementers
from search import service
from search.analysers import get_analyser
from search.analysis import build_query
from search.localization import LANGUAGE_CODES
from search.params import user_is_professional
from search.query import MAX_PAGE_SIZE, SearchQuery

PAGE_SIZE = 20
MAX_COMPARED = 3

FACETS = [
    ("topic", _("Topic")),
    ("target", _("Target group")),
    ("stage", _("Development stage")),
    ("county", _("Wellbeing services county")),
    ("region", _("Region")),
    ("funder", _("Funder")),
    ("evidence", _("Evaluation level")),
    ("programme", _("Programme")),
]
# What a restricted model is matched by: the text a public model's search document
# has (models_library.search_documents), its title, short description and sections.
RESTRICTED_MATCH_FIELDS = ("title", "short_description") + sections.field_names(
    section for section in sections.SECTIONS if section.in_search_body
)
SORTS = [("relevance", _("Relevance")), ("newest", _("Newest")), ("name", _("Name"))]


def canonical_models(user: Any = None) -> QuerySet[OperatingModelPage]:
    """Live models in Finnish, the language that holds each model's content,
    that `user` may see (models_library.privacy; None: an anonymous visitor)."""
    return privacy.visible(OperatingModelPage.objects.live().filter(locale__language_code="fi"), user)


def inactive_model_uids() -> set[Any]:
    """Uids of the operating models that are paused or ended (Finnish pages, published or
    not, whoever asks). A service or team whose `operating_model_uid` is among them
    follows a model that is no longer in use: the door finder does not present its steps,
    and editors are warned (the directory's edit views, the coverage report)."""
    return set(
        OperatingModelPage.objects.filter(locale__language_code="fi", stage__in=INACTIVE_STAGES).values_list(
            "translation_key", flat=True
        )
    )


def _through_pairs(field_name: str, value_path: str) -> QuerySet[Any, tuple[Any, Any]]:
    through = getattr(OperatingModelPage, field_name).through
    return through.objects.values_list("operatingmodelpage_id", value_path)


def facet_values(pks: Iterable[int]) -> dict[str, dict[int, set[Any]]]:
    """{facet: {page id: set of values}} for the given pages."""
    values: dict[str, dict[int, set[Any]]] = {name: defaultdict(set) for name, _label in FACETS}
    pages = OperatingModelPage.objects.filter(pk__in=pks)

    def add(facet, pairs):
        for pk, value in pairs:
            if value:
                values[facet][pk].add(value)

    add("topic", _through_pairs("topics", "topic__slug").filter(operatingmodelpage_id__in=pks))
    add("target", _through_pairs("target_groups", "targetgroup__slug").filter(operatingmodelpage_id__in=pks))
    add("funder", _through_pairs("funders", "funder__code").filter(operatingmodelpage_id__in=pks))
    add(
        "county",
        _through_pairs("wellbeing_counties", "wellbeingcounty__code").filter(operatingmodelpage_id__in=pks),
    )
    add(
        "county",
        _through_pairs("municipalities", "municipality__county__code").filter(operatingmodelpage_id__in=pks),
    )
    add("region", _through_pairs("regions", "region__code").filter(operatingmodelpage_id__in=pks))
    add(
        "region",
        _through_pairs("municipalities", "municipality__region__code").filter(operatingmodelpage_id__in=pks),
    )
    add("stage", pages.values_list("pk", "stage"))
    add("evidence", pages.values_list("pk", "evidence_level"))
    add("programme", pages.values_list("pk", "programme__slug"))
    return values


def facet_labels() -> dict[str, dict[Any, Any]]:
    return {
        "topic": {t.slug: t.name for t in Topic.objects.all()},
        "target": {t.slug: t.name for t in TargetGroup.objects.all()},
        "stage": dict(Stage.choices),
        "county": {c.code: c.name for c in WellbeingCounty.objects.all()},
        "region": {r.code: r.name for r in Region.objects.all()},
        "funder": {f.code: f.name for f in Funder.objects.all()},
        "evidence": dict(EvidenceLevel.choices),
        "programme": {p.slug: p.name for p in Programme.objects.all()},
    }


def search_keys(query: str, user: Any = None) -> list[str]:
    """Translation keys of live models matching a free-text query, best first.

    The query goes through the search app's analysis and engine, as the site
    search does (inflections, compounds, synonyms), and never reaches a database's
    query syntax as typed (docs/security.md, "Input handling"). Any language
    version may match, so a Swedish query finds a model through its Swedish
    title and short description. Restricted models are not in the search index
    (models_library.search_documents); those `user` may see are matched here
    by the same analysis over their title, short description and sections.
    """

    language = Locale.get_active().language_code
    professional = user is not None and user_is_professional(user)
    keys: list[str] = []
    page = 1
    while True:
        results = service.search(
            SearchQuery(
                text=query,
                language=language,
                filters={"type": ["operating_model"]},
                professional=professional,
                page=page,
                page_size=MAX_PAGE_SIZE,
            )
        )
        keys.extend(result["uid"] for result in results.results)
        if not results.results or page * MAX_PAGE_SIZE >= results.count:
            break
        page += 1
    found = OperatingModelPage.objects.filter(translation_key__in=keys)
    allowed = {str(key) for key in privacy.visible(found, user).values_list("translation_key", flat=True)}
    keys = [key for key in dict.fromkeys(keys) if key in allowed]
    return keys + [key for key in _restricted_matches(query, user, language) if key not in keys]


def _restricted_matches(query: str, user: Any, language: str) -> list[str]:
    """Keys of the restricted models `user` may see whose text has every word of
    the query (by the search analysis, each page's text and the query analysed
    in the page's own language, so that any language may match, as in the
    index); none for an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return []
    live = OperatingModelPage.objects.live()
    restricted = privacy.visible(live, user).exclude(pk__in=privacy.public(live).values("pk"))
    pages = list(restricted.select_related("locale"))
    if not pages:
        return []

    keys = []
    for page in pages:
        page_language = page.locale.language_code[:2]
        analyser = get_analyser(page_language if page_language in LANGUAGE_CODES else language)
        groups = build_query(analyser, query)
        if not groups:
            continue
        text = " ".join(str(getattr(page, name, "") or "") for name in RESTRICTED_MATCH_FIELDS)
        present = set(analyser.index_terms(text))
        if all(group.found_as_typed(present) for group in groups):
            key = str(page.translation_key)
            if key not in keys:
                keys.append(key)
    return keys


@dataclass
class Listing:
    query: str
    selected: dict
    sort: str
    page: object
    facets: list = field(default_factory=list)
    total: int = 0

    @property
    def has_filters(self):
        return bool(self.query or any(self.selected.values()))

    @property
    def active_filter_count(self):
        """The words (as one) and each ticked value: the narrow-screen disclosure shows it."""
        return (1 if self.query else 0) + sum(len(values) for values in self.selected.values())


def library_listing(params: QueryDict, *, page_number: int | str = 1, user: Any = None) -> Listing:
    """Filter, count, sort and paginate the library for a request's GET parameters,
    over the models `user` may see."""
    query = (params.get("q") or "").strip()[:200]
    selected = {name: [v for v in params.getlist(name) if v][:20] for name, _label in FACETS}
    sort = params.get("sort") or ("relevance" if query else "name")
    if sort not in dict(SORTS) or (sort == "relevance" and not query):
        sort = "name"

    base = canonical_models(user)
    order: dict[str, int] = {}
    if query:
        keys = search_keys(query, user)
        order = {key: position for position, key in enumerate(keys)}
        base = base.filter(translation_key__in=keys)
    pks = list(base.values_list("pk", flat=True))
    values = facet_values(pks)

    def matches(pk, skip=None):
        for name, wanted in selected.items():
            if name != skip and wanted and not values[name][pk] & set(wanted):
                return False
        return True

    labels = facet_labels()
    facets = []
    for name, label in FACETS:
        counts: dict[Any, int] = defaultdict(int)
        for pk in pks:
            if matches(pk, skip=name):
                for value in values[name][pk]:
                    counts[value] += 1
        options = [
            {
                "value": value,
                "label": labels[name].get(value, value),
                "count": counts.get(value, 0),
                "selected": value in selected[name],
            }
            for value in sorted(set(counts) | set(selected[name]), key=lambda v: str(labels[name].get(v, v)))
            if value in labels[name]
        ]
        if options:
            facets.append({"name": name, "label": label, "options": options})

    matching = [pk for pk in pks if matches(pk)]
    pages = OperatingModelPage.objects.filter(pk__in=matching)
    if sort == "relevance":
        key_of = dict(pages.values_list("pk", "translation_key"))
        ordered = sorted(matching, key=lambda pk: order.get(str(key_of[pk]), len(order)))
    elif sort == "newest":
        ordered = list(
            pages.order_by("-modified_on", "-last_published_at", "title").values_list("pk", flat=True)
        )
    else:
        ordered = list(pages.order_by("title").values_list("pk", flat=True))

    paginator = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(page_number)
    page.object_list = localized_models(page.object_list, user)
    return Listing(query=query, selected=selected, sort=sort, page=page, facets=facets, total=len(ordered))


def localized_models(pks: Iterable[int], user: Any = None) -> list[OperatingModelPage]:
    """The pages for canonical ids, swapped for their live translation in the active
    language when `user` may see it. The caller has chosen the canonical pages
    with `canonical_models(user)`."""
    canonical = OperatingModelPage.objects.filter(pk__in=pks).select_related("programme")
    by_pk = {page.pk: page for page in canonical}
    locale = Locale.get_active()
    translations = {}
    if locale.language_code != "fi":
        translations = {
            page.translation_key: page
            for page in privacy.visible(
                OperatingModelPage.objects.live().filter(
                    locale=locale, translation_key__in=[p.translation_key for p in canonical]
                ),
                user,
            )
        }
    result = []
    for pk in pks:
        page = by_pk.get(pk)
        if page is not None:
            shown = translations.get(page.translation_key, page)
            shown.source = page
            result.append(shown)
    return result


def model_for_uid(uid: Any, user: Any = None) -> OperatingModelPage | None:
    """The canonical live model with this uid that `user` may see, or None."""
    try:
        return canonical_models(user).filter(translation_key=uid).first()
    except (ValueError, ValidationError):  # a malformed uid is simply "not found"
        return None


def model_detail_context(page: OperatingModelPage, user: Any = None) -> dict[str, Any]:
    """The detail page's context; the other models it names are those `user` may see."""
    model = page.canonical
    roles = list(model.roles.all())
    role_names = {role.slug: role.localized_name for role in roles}
    steps = [
        {"step": step, "roles": [role_names.get(slug, slug) for slug in step.role_slugs]}
        for step in model.steps.all()
    ]
    related = []
    for link in model.related_models.select_related("target"):
        canonical = link.target.canonical
        shown = link.target.live and canonical.live and privacy.can_list(canonical, user)
        target = localized_models([canonical.pk], user) if shown else []
        if target:
            related.append(
                {
                    "page": target[0],
                    "relation": link.get_relation_display(),
                    "is_variant": link.relation == Relation.VARIANT_OF,
                }
            )
    variants_of_this = (
        privacy.visible(OperatingModelPage.objects.live(), user)
        .filter(related_models__target=model, related_models__relation=Relation.VARIANT_OF)
        .filter(locale=model.locale)
    )

    return {
        "model": model,
        "usage": directory_usage(model),
        "implementers": linked_implementers(model),
        "used_in_pathways": pages_using(model),
        "content_language": model.locale.language_code,
        "steps": steps,
        "roles": roles,
        "related": related,
        "variants": localized_models(list(variants_of_this.values_list("pk", flat=True)), user),
        "authors": [p for p in model.people.all() if p.kind == "author"],
        "contacts": [p for p in model.people.all() if p.kind == "contact"],
        "adoption_points": adoption_map_points(model),
    }


def adoption_map_points(model: OperatingModelPage) -> list[dict[str, Any]]:
    """One map point per municipality where the model has been adopted, at the
    municipality's centre, labelled with every adoption there. Adoptions
    without a municipality stay in the table only."""
    points: dict[Any, dict[str, Any]] = {}
    for adoption in model.adoptions.select_related("municipality"):
        municipality = adoption.municipality
        centre = municipality_centre(municipality.code) if municipality else None
        if centre is None:
            continue
        point = points.setdefault(
            municipality.code,
            {
                "latitude": centre[0],
                "longitude": centre[1],
                "municipality": municipality.name,
                "adoptions": [],
            },
        )
        point["adoptions"].append(
            ", ".join(
                str(part)
                for part in (adoption.organisation, adoption.year, adoption.get_status_display())
                if part
            )
        )
    for point in points.values():
        point["label"] = f"{point['municipality']}: {'; '.join(point['adoptions'])}"
    return list(points.values())


def models_for_comparison(uids: Iterable[Any], user: Any = None) -> list[OperatingModelPage]:
    """Up to three live models `user` may see, in the order asked, as canonical pages."""
    uids = [uid for uid in dict.fromkeys(uids) if uid][:MAX_COMPARED]
    found = []
    for uid in uids:
        page = model_for_uid(uid, user)
        if page is not None:
            found.append(page.specific)
    return found


def area_names(model: OperatingModelPage) -> list[str]:
    names = [c.name for c in model.wellbeing_counties.all()]
    names += [r.name for r in model.regions.all()]
    names += [m.name for m in model.municipalities.all()]
    return names

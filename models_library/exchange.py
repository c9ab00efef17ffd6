"""Export and import of operating models in the versioned JSON format of docs/operating-models-format.md.

Import is all or nothing: the whole file is validated first (JSON Schema, then
references to vocabularies, geography and other models), every error is
reported with its record and field path, and nothing is written unless the
file is valid. Valid files are written in one transaction.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from jsonschema import Draft202012Validator, FormatChecker
from wagtail.models import Locale

from directory import audit
from directory.models import Municipality, Region, TargetGroup, WellbeingCounty
from models_library import rules, sections
from models_library.models import (
    Adoption,
    DevelopmentTeamPage,
    Funder,
    ImplementingOrganisation,
    KeyFigure,
    ModelLink,
    ModelPerson,
    ModelRole,
    ModelsLibraryIndexPage,
    OperatingModelPage,
    ProcessStep,
    Programme,
    RelatedModel,
    Topic,
)
from search.localization import LANGUAGE_CODES, OTHER_LANGUAGES

FORMAT = "ovi.operating-models"
VERSION = 1
SCHEMA = json.loads((Path(__file__).parent / "schema" / "operating-models-v1.json").read_text())

# {format key: its sections' fields}: "description", "development", "lessons" (models_library.sections).
SECTIONS = {group.key: sections.field_names(sections.in_group(group)) for group in sections.GROUPS}


class ImportRejected(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s): " + "; ".join(str(error) for error in errors[:5]))
        self.errors = errors


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


# Export ----------------------------------------------------------------------


def _fi(value):
    return {"fi": value} if value else {}


def _names(obj, prefix="name"):
    names = (
        {"fi": getattr(obj, prefix)}
        if not hasattr(obj, f"{prefix}_fi")
        else {"fi": getattr(obj, f"{prefix}_fi")}
    )
    for language in OTHER_LANGUAGES:
        value = getattr(obj, f"{prefix}_{language}", "")
        if value:
            names[language] = value
    return names


def _texts(obj, prefix):
    """A text kept in every language (`<prefix>`, `<prefix>_sv`, `<prefix>_en`): only those given."""
    texts = {"fi": getattr(obj, prefix)}
    texts.update({code: getattr(obj, f"{prefix}_{code}") for code in OTHER_LANGUAGES})
    return {code: value for code, value in texts.items() if value}


def _date(value):
    return value.isoformat() if value else None


def _person(person):
    return {"name": person.name, "title": _fi(person.title), "organisation": person.organisation or None}


def export_model(page):
    """One canonical (Finnish) model page as a format record."""
    translations = {
        t.locale.language_code: t.specific
        for t in page.get_translations(inclusive=True).select_related("locale")
    }
    parent = page.get_parent().specific
    record = {
        "uid": str(page.translation_key),
        "slug": page.slug,
        "published": page.live,
        "team": parent.slug if isinstance(parent, DevelopmentTeamPage) else None,
        "title": {code: translations[code].title for code in LANGUAGE_CODES if code in translations},
        "short_description": {
            code: translations[code].short_description
            for code in LANGUAGE_CODES
            if code in translations and translations[code].short_description
        },
        "implemented_by": [
            {"name": org.name, "business_id": org.business_id or None} for org in page.implementers.all()
        ],
        "municipalities": sorted(m.code for m in page.municipalities.all()),
        "regions": sorted(r.code for r in page.regions.all()),
        "wellbeing_counties": sorted(c.code for c in page.wellbeing_counties.all()),
        "funders": [f.code for f in page.funders.order_by("sort_order")],
        "funders_other": page.funders_other or None,
        "programme": page.programme.slug if page.programme else None,
        "authors": [_person(p) for p in page.people.all() if p.kind == "author"],
        "contacts": [_person(p) for p in page.people.all() if p.kind == "contact"],
        "created": _date(page.described_on),
        "modified": _date(page.modified_on),
        "stage": page.stage,
        "topics": sorted(t.slug for t in page.topics.all()),
        "tags": sorted(tag.name for tag in page.tags.all()),
        "target_groups": sorted(t.slug for t in page.target_groups.all()),
    }
    for section, names in SECTIONS.items():
        record[section] = {name: _fi(getattr(page, name)) for name in names if getattr(page, name)}
    record["process"] = [
        {
            "title": _names(step, "title"),
            "description": _fi(step.description),
            "resident_text": _texts(step, "resident_text"),
            "time_limit_days": step.time_limit_days,
            "time_limit_text": _fi(step.time_limit_text) or None,
            "responsible_roles": step.role_slugs,
            "participants": _fi(step.participants),
        }
        for step in page.steps.all()
    ]
    record["roles"] = [
        {"slug": role.slug, "name": _names(role), "description": _fi(role.description)}
        for role in page.roles.all()
    ]
    record["key_figures"] = [
        {
            "value": f.value,
            "label": _names(f, "label"),
            "source": f.source or None,
            "period": f.period or None,
        }
        for f in page.figures.all()
    ]
    record["evidence"] = {
        "level": page.evidence_level,
        "indicators": [{"fi": line} for line in page.indicator_list],
        "last_reviewed": _date(page.last_reviewed),
    }
    record["adoptions"] = [
        {
            "area": a.area,
            "municipality": a.municipality.code if a.municipality else None,
            "organisation": a.organisation or None,
            "year": a.year,
            "status": a.status,
        }
        for a in page.adoptions.select_related("municipality")
    ]
    record["related_models"] = [
        {"slug": link.target.slug, "relation": link.relation}
        for link in page.related_models.select_related("target")
    ]
    record["links"] = [{"title": _fi(link.title), "url": link.url} for link in page.links.all()]
    return record


def export_document():
    models = OperatingModelPage.objects.filter(locale__language_code="fi").order_by("path")
    return {
        "format": FORMAT,
        "version": VERSION,
        "programmes": [
            {"slug": p.slug, "name": _names(p), "description": _fi(p.description_fi)}
            for p in Programme.objects.order_by("slug")
        ],
        "topics": [{"slug": t.slug, "name": _names(t)} for t in Topic.objects.order_by("slug")],
        "models": [export_model(page.specific) for page in models],
    }


# Validation ------------------------------------------------------------------


def _path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def validate_document(document):
    """Every problem in the document as "record: field path: message" strings; [] when valid."""
    errors = []
    if not isinstance(document, dict):
        return ["(document): the file must contain a JSON object"]
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        errors.append(f"{_path(error.absolute_path)}: {error.message}")
    if errors:
        return errors
    return _check_references(document)


def _check_references(document):
    errors = []
    topics = {t["slug"] for t in document.get("topics", [])} | set(
        Topic.objects.values_list("slug", flat=True)
    )
    programmes = {p["slug"] for p in document.get("programmes", [])} | set(
        Programme.objects.values_list("slug", flat=True)
    )
    targets = set(TargetGroup.objects.values_list("slug", flat=True))
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    regions = set(Region.objects.values_list("code", flat=True))
    counties = set(WellbeingCounty.objects.values_list("code", flat=True))
    teams = set(DevelopmentTeamPage.objects.values_list("slug", flat=True))
    slugs_in_file = [m["slug"] for m in document["models"]]
    known_slugs = set(slugs_in_file) | set(
        OperatingModelPage.objects.filter(locale__language_code="fi").values_list("slug", flat=True)
    )
    seen_uids, seen_slugs = set(), set()
    existing_by_slug = dict(
        OperatingModelPage.objects.filter(locale__language_code="fi").values_list("slug", "translation_key")
    )

    for index, model in enumerate(document["models"]):
        where = f"models[{index}] ({model['slug']})"

        def problem(path, message, where=where):
            errors.append(f"{where}: {path}: {message}")

        if model["uid"].lower() in seen_uids:
            problem("uid", "the same uid appears twice in the file")
        seen_uids.add(model["uid"].lower())
        if model["slug"] in seen_slugs:
            problem("slug", "the same slug appears twice in the file")
        seen_slugs.add(model["slug"])
        other = existing_by_slug.get(model["slug"])
        if other is not None and str(other) != model["uid"].lower():
            problem("slug", "another model in the library already has this slug")
        if model.get("team") and model["team"] not in teams:
            problem("team", f"unknown development team “{model['team']}”")
        if model.get("programme") and model["programme"] not in programmes:
            problem("programme", f"unknown programme “{model['programme']}”")
        for key, known, label in (
            ("topics", topics, "topic"),
            ("target_groups", targets, "target group"),
            ("municipalities", municipalities, "municipality code"),
            ("regions", regions, "region code"),
            ("wellbeing_counties", counties, "wellbeing services county code"),
        ):
            for position, value in enumerate(model.get(key, [])):
                if value not in known:
                    problem(f"{key}[{position}]", f"unknown {label} “{value}”")
        for position, adoption in enumerate(model.get("adoptions", [])):
            if adoption.get("municipality") and adoption["municipality"] not in municipalities:
                problem(
                    f"adoptions[{position}].municipality",
                    f"unknown municipality code “{adoption['municipality']}”",
                )
        roles = [role["slug"] for role in model.get("roles", [])]
        if len(roles) != len(set(roles)):
            problem("roles", "role identifiers must be unique within a model")
        for position, step in enumerate(model.get("process", [])):
            for role_position, slug in enumerate(step.get("responsible_roles", [])):
                if slug not in roles:
                    problem(
                        f"process[{position}].responsible_roles[{role_position}]",
                        f"role “{slug}” is not defined in roles",
                    )
        for position, link in enumerate(model.get("related_models", [])):
            if link["slug"] not in known_slugs:
                problem(f"related_models[{position}].slug", f"unknown operating model “{link['slug']}”")
            if link["slug"] == model["slug"]:
                problem(f"related_models[{position}].slug", "a model cannot be related to itself")
        if model.get("published", True):
            flat = _flat_texts(model)
            for name, issue in rules.required_problems(flat).items():
                section = "short_description.fi" if name == "short_description" else f"description.{name}.fi"
                if issue == rules.TOO_SHORT:
                    problem(
                        section, f"needs at least {rules.MIN_WORDS} words before the model can be published"
                    )
                else:
                    problem(section, "required before the model can be published")
            for position, figure in enumerate(model.get("key_figures", [])):
                issues = rules.key_figure_problems(
                    figure.get("value"),
                    figure.get("label", {}).get("fi"),
                    figure.get("source"),
                    figure.get("period"),
                )
                for name, issue in issues.items():
                    problem(f"key_figures[{position}].{name}", FIGURE_MESSAGES[issue])
            for path, text in _all_texts(model):
                phrase = rules.find_placeholder(text)
                if phrase:
                    problem(path, f"contains placeholder text “{phrase}”")
    return errors


FIGURE_MESSAGES = {
    rules.NOT_A_NUMBER: "a key figure must be a number",
    rules.NO_LABEL: "a key figure needs a label that says what it counts",
    rules.NO_SOURCE: "a key figure needs a source or a period before the model can be published",
}


def _flat_texts(model):
    flat = {"short_description": model.get("short_description", {}).get("fi", "")}
    for section in SECTIONS:
        for name, text in model.get(section, {}).items():
            flat[name] = text.get("fi", "")
    return flat


def _all_texts(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_texts(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _all_texts(item, f"{path}[{position}]")


# Import ----------------------------------------------------------------------


def load_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise ImportRejected([f"(document): not valid JSON: {error}"]) from error
    except UnicodeDecodeError as error:
        raise ImportRejected([f"(document): not UTF-8 text ({error.reason})"]) from error
    except RecursionError as error:
        raise ImportRejected(["(document): not valid JSON: nested too deeply"]) from error
    except OSError as error:
        raise ImportRejected([f"(document): cannot read the file: {error}"]) from error


def import_document(document):
    """Validate and write a whole document. Raises ImportRejected with every error; writes nothing then."""
    errors = validate_document(document)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        return _write(document)


def _write(document):
    index = ModelsLibraryIndexPage.objects.filter(locale__language_code="fi").first()
    if index is None:
        raise ImportRejected(["(document): the site has no operating models library page to import into"])
    for topic in document.get("topics", []):
        _upsert_named(Topic, topic["slug"], topic["name"])
    for programme in document.get("programmes", []):
        obj = _upsert_named(Programme, programme["slug"], programme["name"])
        description = programme.get("description", {}).get("fi", "")
        if obj.description_fi != description:
            obj.description_fi = description
            obj.save()

    report = ImportReport()
    pages = {}
    for record in document["models"]:
        existing = OperatingModelPage.objects.filter(
            translation_key=record["uid"], locale__language_code="fi"
        ).first()
        if existing is not None and _comparable(export_model(existing.specific)) == _comparable(record):
            report.unchanged.append(record["slug"])
            pages[record["slug"]] = existing.specific
            continue
        page = _write_model(index, existing.specific if existing else None, record)
        pages[record["slug"]] = page
        (report.updated if existing else report.created).append(record["slug"])
        audit.record(page, audit.IMPORT_EDIT if existing else audit.IMPORT_CREATE, uid=record["uid"])

    # Relations point at other models of the file, so they are written last.
    for record in document["models"]:
        if record["slug"] in report.unchanged:
            continue
        page = pages[record["slug"]]
        page.related_models.all().delete()
        for order, link in enumerate(record.get("related_models", [])):
            target = pages.get(link["slug"]) or OperatingModelPage.objects.get(
                slug=link["slug"], locale__language_code="fi"
            )
            RelatedModel.objects.create(
                page=page, target=target, relation=link.get("relation", "related"), sort_order=order
            )
        _publish_or_save(page, record)
    return report


def _comparable(record):
    """A record with defaults filled in, so a file that omits empty fields compares equal."""
    normal = json.loads(json.dumps(record))
    normal.setdefault("published", True)
    normal.setdefault("team", None)
    normal["uid"] = normal["uid"].lower()
    for key in (
        "implemented_by",
        "municipalities",
        "regions",
        "wellbeing_counties",
        "funders",
        "authors",
        "contacts",
        "topics",
        "tags",
        "target_groups",
        "process",
        "roles",
        "key_figures",
        "adoptions",
        "related_models",
        "links",
    ):
        normal.setdefault(key, [])
    for key in ("municipalities", "regions", "wellbeing_counties", "topics", "tags", "target_groups"):
        normal[key] = sorted(normal[key])
    for key in ("funders_other", "programme", "created", "modified"):
        normal.setdefault(key, None)
    for step in normal["process"]:
        step.setdefault("resident_text", {})
    for figure in normal["key_figures"]:
        figure.setdefault("source", None)
        figure.setdefault("period", None)
    return normal


def _upsert_named(model, slug, names):
    values = {"name_fi": names["fi"], "name_sv": names.get("sv", ""), "name_en": names.get("en", "")}
    obj, created = model.objects.get_or_create(slug=slug, defaults=values)
    if not created and any(getattr(obj, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
    return obj


def _date_or_none(value):
    return datetime.date.fromisoformat(value) if value else None


def _text(container, key):
    return (container.get(key) or {}).get("fi", "") if isinstance(container.get(key), dict) else ""


def _ordered(children):
    """Number inline children in list order: equal sort_order values would leave the
    order to the database, and PostgreSQL does not keep insertion order."""
    for position, child in enumerate(children):
        child.sort_order = position
    return children


def _write_model(index, page, record):
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGE_CODES}
    team_slug = record.get("team")
    parent = DevelopmentTeamPage.objects.get(slug=team_slug, locale=locales["fi"]) if team_slug else index
    creating = page is None
    if creating:
        page = OperatingModelPage(
            translation_key=record["uid"], locale=locales["fi"], live=record.get("published", True)
        )
    page.slug = record["slug"]
    page.title = record["title"]["fi"]
    page.short_description = record.get("short_description", {}).get("fi", "")
    page.funders_other = record.get("funders_other") or ""
    page.programme = Programme.objects.get(slug=record["programme"]) if record.get("programme") else None
    page.described_on = _date_or_none(record.get("created"))
    page.modified_on = _date_or_none(record.get("modified"))
    page.stage = record["stage"]
    for section, names in SECTIONS.items():
        for name in names:
            setattr(page, name, _text(record.get(section, {}), name))
    evidence = record.get("evidence", {})
    page.evidence_level = evidence.get("level", "described")
    page.evidence_indicators = "\n".join(item.get("fi", "") for item in evidence.get("indicators", []))
    last_reviewed = _date_or_none(evidence.get("last_reviewed"))
    if last_reviewed != page.last_reviewed:
        # A date from a file: who reviewed it then is not known here.
        page.last_reviewed, page.last_reviewed_by = last_reviewed, None

    page.municipalities = list(Municipality.objects.filter(code__in=record.get("municipalities", [])))
    page.regions = list(Region.objects.filter(code__in=record.get("regions", [])))
    page.wellbeing_counties = list(
        WellbeingCounty.objects.filter(code__in=record.get("wellbeing_counties", []))
    )
    page.funders = list(Funder.objects.filter(code__in=record.get("funders", [])))
    page.topics = list(Topic.objects.filter(slug__in=record.get("topics", [])))
    page.target_groups = list(TargetGroup.objects.filter(slug__in=record.get("target_groups", [])))
    page.tags.set(record.get("tags", []), clear=True)

    page.implementers = _ordered(
        [
            ImplementingOrganisation(name=org["name"], business_id=org.get("business_id") or "")
            for org in record.get("implemented_by", [])
        ]
    )
    page.people = _ordered(
        [
            ModelPerson(
                kind=kind,
                name=p["name"],
                title=(p.get("title") or {}).get("fi", ""),
                organisation=p.get("organisation") or "",
            )
            for kind, key in (("author", "authors"), ("contact", "contacts"))
            for p in record.get(key, [])
        ]
    )
    page.steps = _ordered(
        [
            ProcessStep(
                title=step["title"]["fi"],
                title_sv=step["title"].get("sv", ""),
                title_en=step["title"].get("en", ""),
                description=_text(step, "description"),
                resident_text=(step.get("resident_text") or {}).get("fi", ""),
                resident_text_sv=(step.get("resident_text") or {}).get("sv", ""),
                resident_text_en=(step.get("resident_text") or {}).get("en", ""),
                time_limit_days=step.get("time_limit_days"),
                time_limit_text=_text(step, "time_limit_text"),
                responsible_roles=",".join(step.get("responsible_roles", [])),
                participants=_text(step, "participants"),
            )
            for step in record.get("process", [])
        ]
    )
    page.roles = _ordered(
        [
            ModelRole(
                slug=role["slug"],
                name=role["name"]["fi"],
                name_sv=role["name"].get("sv", ""),
                name_en=role["name"].get("en", ""),
                description=_text(role, "description"),
            )
            for role in record.get("roles", [])
        ]
    )
    page.figures = _ordered(
        [
            KeyFigure(
                value=f["value"],
                label=f["label"]["fi"],
                label_sv=f["label"].get("sv", ""),
                label_en=f["label"].get("en", ""),
                source=f.get("source") or "",
                period=f.get("period") or "",
            )
            for f in record.get("key_figures", [])
        ]
    )
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    page.adoptions = _ordered(
        [
            Adoption(
                area=a["area"],
                municipality_id=municipality_ids.get(a.get("municipality")),
                organisation=a.get("organisation") or "",
                year=a.get("year"),
                status=a.get("status", "in_use"),
            )
            for a in record.get("adoptions", [])
        ]
    )
    page.links = _ordered(
        [
            ModelLink(title=_text(link, "title") or link["url"], url=link["url"])
            for link in record.get("links", [])
        ]
    )

    if creating:
        parent.add_child(instance=page)
    else:
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        page.save()
    _write_translations(page, record, locales)
    return page


def _write_translations(page, record, locales):
    for code in OTHER_LANGUAGES:
        title = record["title"].get(code)
        if not title:
            continue
        translation = page.get_translation_or_none(locales[code])
        if translation is None:
            translation = page.copy_for_translation(locales[code], copy_parents=True)
        translation = translation.specific
        translation.title = title
        translation.short_description = record.get("short_description", {}).get(code, "")
        translation.save()


def _publish_or_save(page, record):
    """Save a revision of the model and its translations; publish them when the record is published."""
    for target in [page] + [t.specific for t in page.get_translations()]:
        revision = target.save_revision(changed=True)
        if record.get("published", True):
            # copy_for_translation(copy_parents=True) creates missing parent pages as drafts.
            for ancestor in target.get_ancestors().filter(depth__gt=1, live=False):
                ancestor.specific.save_revision().publish()
            revision.publish()
        elif target.live:
            target.unpublish()

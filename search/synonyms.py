"""Domain synonyms a new site starts with (migration 0003 loads them) and the
residents' vocabulary (data/residents_vocabulary.toml, loaded by migration
0010); admins edit both as Wagtail snippets afterwards (search.models.Synonym)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SYNONYMS = [
    ("fi", "sote", "sosiaali- ja terveyspalvelut, sosiaali- ja terveydenhuolto"),
    ("fi", "päihde", "riippuvuus"),
    ("fi", "MT", "mielenterveys"),
    ("fi", "neuvola", "äitiys- ja lastenneuvola, äitiysneuvola, lastenneuvola"),
    ("fi", "lastensuojelu", "lasu"),
    ("fi", "kuraattori", "koulukuraattori"),
    ("fi", "oppilashuolto", "opiskeluhuolto"),
    ("fi", "toimintamalli", "työskentelymalli, työmalli"),
    ("sv", "missbruk", "beroende"),
    ("sv", "rådgivning", "mödra- och barnrådgivning, barnrådgivning"),
    ("sv", "social- och hälsovård", "social- och hälsotjänster"),
    ("en", "addiction", "substance abuse, substance use"),
    ("en", "mental health", "MH"),
]


VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "residents_vocabulary.toml"
LANGUAGES = ("fi", "sv", "en")
TERM_MAX_LENGTH = 1000


@dataclass(frozen=True)
class VocabularyEntry:
    """One mapping of the residents' vocabulary: what residents type (`terms`)
    leads one way to what the services' texts say (`concepts`)."""

    language: str
    terms: tuple[str, ...]
    concepts: tuple[str, ...]
    source_name: str
    source_url: str
    note: str = ""

    @property
    def term(self):
        return ", ".join(self.terms)

    @property
    def synonyms(self):
        return ", ".join(self.concepts)

    @property
    def source(self):
        return f"{self.source_name} – {self.source_url}"


class VocabularyError(ValueError):
    pass


def load_vocabulary(path=VOCABULARY_PATH):
    """The entries of the residents' vocabulary file, validated: every entry has
    a known language, terms, concepts and a source with a name and an http(s)
    address; no resident term appears twice in one language."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    sources = data.get("sources", {})
    for key, source in sources.items():
        if not source.get("name") or not str(source.get("url", "")).startswith(("https://", "http://")):
            raise VocabularyError(f"source {key!r} needs a name and an http(s) url")
    entries, seen = [], {}
    for number, raw in enumerate(data.get("entry", []), 1):
        where = f"entry {number}"
        language = raw.get("language")
        if language not in LANGUAGES:
            raise VocabularyError(f"{where}: language must be one of {LANGUAGES}, not {language!r}")
        terms = tuple(t.strip().lower() for t in raw.get("terms", []) if t.strip())
        concepts = tuple(c.strip().lower() for c in raw.get("concepts", []) if c.strip())
        if not terms or not concepts:
            raise VocabularyError(f"{where}: needs terms and concepts")
        if any("," in phrase or ";" in phrase for phrase in terms + concepts):
            raise VocabularyError(f"{where}: a term or concept may not contain , or ;")
        for term in terms:
            if (language, term) in seen:
                raise VocabularyError(f"{where}: {term!r} is already in {seen[(language, term)]}")
            seen[(language, term)] = where
        source = sources.get(raw.get("source"))
        if source is None:
            raise VocabularyError(f"{where}: source {raw.get('source')!r} is not in [sources]")
        entry = VocabularyEntry(language, terms, concepts, source["name"], source["url"], raw.get("note", ""))
        if len(entry.term) > TERM_MAX_LENGTH:
            raise VocabularyError(f"{where}: the terms are longer than {TERM_MAX_LENGTH} characters together")
        entries.append(entry)
    return entries


def ensure_default_synonyms(synonym_model=None):
    """Add the default synonyms and the residents' vocabulary entries that are
    missing; rows an admin has edited or deleted are left alone (a row is found
    by its language and term). A historical model without the `one_way` field
    (migration 0003) gets the built-in synonyms only."""
    if synonym_model is None:
        from .models import Synonym as synonym_model  # noqa: PLC0415 migrations import this module and pass their historical model
    for language, term, synonyms in DEFAULT_SYNONYMS:
        synonym_model.objects.get_or_create(language=language, term=term, defaults={"synonyms": synonyms})
    if any(field.name == "one_way" for field in synonym_model._meta.get_fields()):
        ensure_residents_vocabulary(synonym_model)


def ensure_residents_vocabulary(synonym_model):
    for entry in load_vocabulary():
        synonym_model.objects.get_or_create(
            language=entry.language,
            term=entry.term,
            defaults={"synonyms": entry.synonyms, "one_way": True, "source": entry.source},
        )

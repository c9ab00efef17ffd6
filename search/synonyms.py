"""Domain synonyms a new site starts with (migration 0003 loads them);
admins edit them as Wagtail snippets afterwards (search.models.Synonym)."""

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


def ensure_default_synonyms(synonym_model=None):
    """Add the default synonyms that are missing; edited ones are left alone."""
    if synonym_model is None:
        from .models import Synonym as synonym_model
    for language, term, synonyms in DEFAULT_SYNONYMS:
        synonym_model.objects.get_or_create(language=language, term=term, defaults={"synonyms": synonyms})

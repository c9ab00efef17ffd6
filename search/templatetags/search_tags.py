import json

from django import template

from search.presentation import TYPE_LABELS

register = template.Library()


@register.simple_tag
def suggest_type_labels():
    """Result type names in the active language, as JSON for the autocomplete's data attribute
    (the tag's output is escaped for the attribute)."""
    return json.dumps({kind: str(label) for kind, label in TYPE_LABELS.items()}, ensure_ascii=False)

import json

from django import template

from search.presentation import type_labels

register = template.Library()


@register.simple_tag
def suggest_type_labels():
    """Result type names in the active language, as JSON for the autocomplete's data attribute
    (the tag's output is escaped for the attribute)."""
    return json.dumps({kind: str(label) for kind, label in type_labels().items()}, ensure_ascii=False)

from django.utils import translation


class LocalizedNameMixin:
    """`name` in the active language for models with name_fi / name_sv / name_en fields.

    Missing translations fall back to Finnish, the language every record has.
    """

    @property
    def name(self):
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi

    def __str__(self):
        return self.name


def localized(obj, field):
    """`field` in the active language (`field_fi`, `field_sv`, `field_en`), falling back to Finnish."""
    language = (translation.get_language() or "fi")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_fi", "")

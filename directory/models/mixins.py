from search.localization import localized

__all__ = ["LocalizedNameMixin", "localized"]


class LocalizedNameMixin:
    """`name` in the active language for models with name_fi / name_sv / name_en fields.

    Missing translations fall back to Finnish, the language every record has; the
    name knows which language it is in (search.localization.LocalizedText).
    """

    @property
    def name(self):
        return localized(self, "name")

    def __str__(self):
        return self.name

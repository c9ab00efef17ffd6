"""Admin panel building blocks shared by the directory's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList

LANGUAGE_TABS = (("sv", _("Swedish")), ("en", _("English")))


def language_tabs(fields):
    """One tab per translation language with the `<field>_sv` / `<field>_en` fields.

    Finnish is the language every record has; its fields sit on the first tab.
    """
    return [
        ObjectList([FieldPanel(f"{field}_{code}") for field in fields], heading=heading)
        for code, heading in LANGUAGE_TABS
    ]


def verification_panels():
    return ObjectList(
        [
            FieldPanel("mark_verified"),
            FieldPanel("last_verified_on", read_only=True),
            FieldPanel("last_verified_by", read_only=True),
        ],
        heading=_("Verification"),
    )

"""Admin panel building blocks shared by the directory's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, Panel

from directory.contracts import operating_model_stage

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


class OperatingModelStagePanel(Panel):
    """A warning on a service's or team's edit view when the operating model it follows
    is paused or ended: its steps are then not shown to residents as "what happens next"."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/operating_model_stage_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)

            found = operating_model_stage(getattr(self.instance, "operating_model_uid", None))
            self.stage_label = (found.label or "") if found is not None and not found.active else None
            self.title = found.title if found is not None else ""

        def is_shown(self):
            return self.stage_label is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(stage_label=self.stage_label, title=self.title)
            return context

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from models_library import rules

TEXT_FIELDS = (forms.CharField,)


def required_section_message(problem):
    if problem == rules.TOO_SHORT:
        return ngettext(
            "Write at least %(count)d word here before the model can be published.",
            "Write at least %(count)d words here before the model can be published.",
            rules.MIN_WORDS,
        ) % {"count": rules.MIN_WORDS}
    return _("This section is required before the model can be published.")


def key_figure_message(problem):
    return {
        rules.NOT_A_NUMBER: _("A key figure must be a number."),
        rules.NO_LABEL: _("Say in words what the number counts."),
        rules.NO_SOURCE: _("Give the source of the number or the period it covers."),
    }[problem]


class OperatingModelPageForm(WagtailAdminPageForm):
    """Enforces the publishing rules when the editor publishes or submits for review."""

    @property
    def is_publishing(self):
        return bool(self.data.get("action-publish") or self.data.get("action-submit"))

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_publishing:
            return cleaned_data
        # Placeholders first: "Täydentyy myöhemmin." is better answered by naming the
        # placeholder than by asking for a third word.
        self._check_placeholders(self, cleaned_data)
        for name, problem in rules.required_problems(cleaned_data).items():
            if name not in self.errors:
                self.add_error(name, required_section_message(problem))
        for name, formset in self.formsets.items():
            if not formset.is_valid():
                continue
            for form in formset.forms:
                if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                    self._check_placeholders(form, form.cleaned_data)
                    if name == "figures":
                        self._check_key_figure(form, form.cleaned_data)
        return cleaned_data

    @staticmethod
    def _check_placeholders(form, cleaned_data):
        for name, field in form.fields.items():
            if not isinstance(field, TEXT_FIELDS) or name in form.errors:
                continue
            phrase = rules.find_placeholder(cleaned_data.get(name))
            if phrase:
                form.add_error(
                    name,
                    _("“%(field)s” contains placeholder text (“%(phrase)s”). Replace it before publishing.")
                    % {"field": field.label, "phrase": phrase},
                )

    @staticmethod
    def _check_key_figure(form, data):
        problems = rules.key_figure_problems(
            data.get("value"), data.get("label"), data.get("source"), data.get("period")
        )
        for name, problem in problems.items():
            if name not in form.errors:
                form.add_error(name, key_figure_message(problem))

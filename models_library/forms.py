from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from models_library import rules

TEXT_FIELDS = (forms.CharField,)


class OperatingModelPageForm(WagtailAdminPageForm):
    """Enforces the publishing rules when the editor publishes or submits for review."""

    @property
    def is_publishing(self):
        return bool(self.data.get("action-publish") or self.data.get("action-submit"))

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_publishing:
            return cleaned_data
        for name in rules.missing_required(cleaned_data):
            if name not in self.errors:
                self.add_error(name, _("This section is required before the model can be published."))
        self._check_placeholders(self, cleaned_data)
        for formset in self.formsets.values():
            if not formset.is_valid():
                continue
            for form in formset.forms:
                if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                    self._check_placeholders(form, form.cleaned_data)
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

"""Admin forms of the directory's snippets."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.permissions import editable_organisation_ids

# Form fields that point at an owning organisation (or at a record that has one):
# an editor may only choose among their own, so they cannot move a record away
# from their organisation or attach one to someone else's.
OWNER_FIELDS = ("organisation", "parent", "service")


class DirectoryRecordForm(WagtailAdminModelForm):
    mark_verified = forms.BooleanField(
        label=_("I have checked that this information is correct"),
        required=False,
        help_text=_("Saving records today as the verification date and you as the verifier."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = editable_organisation_ids(self.for_user) if self.for_user is not None else None
        if ids is None:
            return
        for name in OWNER_FIELDS:
            field = self.fields.get(name)
            if field is None or not hasattr(field, "queryset"):
                continue
            model = field.queryset.model
            lookup = model.organisation_lookup
            allowed = field.queryset.filter(**{f"{lookup}__in": ids})
            current = getattr(self.instance, f"{name}_id", None)
            if current is not None:
                # Keep the present value valid (e.g. a parent the editor does not own).
                allowed = allowed | field.queryset.filter(pk=current)
            field.queryset = allowed.distinct()

    def save(self, commit=True):
        if self.cleaned_data.get("mark_verified"):
            self.instance.mark_verified(self.for_user)
        return super().save(commit=commit)

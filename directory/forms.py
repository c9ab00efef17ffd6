"""Admin forms of the directory's snippets."""

import copy
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from directory.access import can_link, is_directory_record_model, linkable_records, visible_records
from directory.contracts import operating_model_choices


def _relation_fields(form):
    """(name, field) of the form's choice fields that point at directory records."""

    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_directory_record_model(queryset.model):
            yield name, field


def _current_pks(form, name):
    """The pks the relation `name` holds now (before this submission)."""
    cached = getattr(form, "_directory_current_links", {})
    if name in cached:
        return cached[name]
    if form.instance is None or form.instance.pk is None:
        return set()
    try:
        field = form.instance._meta.get_field(name)
    except Exception:
        return set()
    if field.many_to_many:
        return {record.pk for record in getattr(form.instance, name).all()}
    value = getattr(form.instance, f"{name}_id", None)
    return {value} if value is not None else set()


def _chosen(value):
    if value is None or value == "":
        return []
    if hasattr(value, "pk"):
        return [value]
    return list(value)


def scope_relation_fields(form, user):
    """Offer in the form's relation fields only what `user` may see; show as options
    what they may link, plus what is linked now (so it can be removed)."""

    if user is None:
        return
    form._directory_current_links = {}
    for name, field in _relation_fields(form):
        current = _current_pks(form, name)
        form._directory_current_links[name] = current
        base = field.queryset
        keep = base.filter(pk__in=current)
        # What the field accepts: visible records (a link to another organisation's
        # record is then refused by check_links() with a message naming it).
        field.queryset = (visible_records(base, user) | keep).distinct()
        # What a multiple select offers: what the user may link, and the present links.
        if hasattr(field.widget, "choices"):
            display = copy.copy(field)
            display.queryset = (linkable_records(base, user) | keep).distinct()
            field.widget.choices = display.choices


def check_links(form, user):
    """Refuse new links to records of organisations `user` does not edit (see
    directory.access). Links that exist are kept, and removing one is always allowed."""

    if user is None or not hasattr(form, "cleaned_data"):
        return
    for name, _field in list(_relation_fields(form)):
        if name not in form.cleaned_data:
            continue
        current = _current_pks(form, name)
        for record in _chosen(form.cleaned_data[name]):
            if record.pk not in current and not can_link(user, record):
                form.add_error(name, link_refused_message(record))


def link_refused_message(record):
    return _(
        "You cannot link “%(record)s”: it belongs to %(organisation)s, whose records you do not edit. "
        "Ask that organisation's editors or a directory admin to add the link."
    ) % {"record": record, "organisation": record.owner_organisation}


def _as_uuid(value):
    # The form's initial value is a UUID already (has_changed() coerces it too).
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def operating_model_field(field, current):
    """The operating model as a select of the models the library offers (through
    directory.contracts, as directory imports no other app), in place of the uid field.
    A linked model that is not offered (deleted, say) stays an option, so saving the
    form does not drop the link unnoticed."""

    choices = [("", "---------")] + [(str(uid), label) for uid, label in operating_model_choices()]
    if current and str(current) not in {value for value, _label in choices}:
        choices.append((str(current), _("Unknown operating model (%(uid)s)") % {"uid": current}))
    return forms.TypedChoiceField(
        label=field.label,
        help_text=field.help_text,
        required=False,
        choices=choices,
        coerce=_as_uuid,
        empty_value=None,
    )


class DirectoryRecordForm(WagtailAdminModelForm):
    mark_verified = forms.BooleanField(
        label=_("I have checked that this information is correct"),
        required=False,
        help_text=_("Saving records today as the verification date and you as the verifier."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "operating_model_uid" in self.fields:
            self.fields["operating_model_uid"] = operating_model_field(
                self.fields["operating_model_uid"], self.instance.operating_model_uid
            )
        scope_relation_fields(self, self.for_user)
        for formset in getattr(self, "formsets", {}).values():
            for form in formset.forms:
                scope_relation_fields(form, self.for_user)

    def clean(self):
        cleaned_data = super().clean()
        check_links(self, self.for_user)
        # Inline children (team members) link too: check them with the parent's user.
        for formset in getattr(self, "formsets", {}).values():
            formset.is_valid()
            for form in formset.forms:
                if formset.can_delete and formset._should_delete_form(form):
                    continue
                check_links(form, self.for_user)
        return cleaned_data

    def save(self, commit=True):
        if self.cleaned_data.get("mark_verified"):
            self.instance.mark_verified(self.for_user)
        return super().save(commit=commit)

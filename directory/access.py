"""What of the directory a user may see, choose and link in the admin.

The edit views already narrow *editing* to the user's organisations
(directory.permissions). This module gives the same answers for everything else
the admin shows: choosers, multiple-choice fields and the links between records.

See: which records a user may see at all (`visible_records`)
    Organisations, locations and teams are public: everybody sees them.
    Services are public when active or temporarily closed; inactive and
    discontinued services (and their channels and places) only to the editors
    of their organisation and to directory admins.
    Contact people are professional-only: professionals, directory editors and
    directory admins see them; development-team members and model moderators
    who are not professionals do not.

Link: which records a user may attach their own records to (`linkable_records`)
    Only records of organisations whose records the user edits (directory
    admins: every record). A link from your record to another organisation's
    record puts your people or teams on their service or location, so it needs
    somebody who answers for both: an editor of both organisations or a
    directory admin. Links that exist stay as they are, and both sides may
    remove them: the owner of the linking record in its own form, the owner of
    the linked record in "Links from other organisations" (directory.links).
"""

from django.db.models import Q

from directory.choices import PUBLIC_SERVICE_STATUSES
from directory.permissions import can_edit_record, editable_organisation_ids, scope_to_editable
from directory.visibility import can_see_professional_data

# Models whose records are for professionals only, as a whole.
PROFESSIONAL_ONLY_MODELS = {"contactperson"}
# Models whose visibility follows a service's status: lookup of that status.
SERVICE_STATUS_LOOKUP = {
    "service": "status",
    "servicechannel": "service__status",
    "serviceatlocation": "service__status",
}


def is_directory_record_model(model) -> bool:
    return hasattr(model, "organisation_lookup")


def visible_records(queryset, user):
    """`queryset` narrowed to the directory records `user` may see in the admin."""

    model = queryset.model
    ids = editable_organisation_ids(user)
    if ids is None or not is_directory_record_model(model):
        return queryset
    name = model._meta.model_name
    own = Q(**{f"{model.organisation_lookup}__in": ids})
    if name in PROFESSIONAL_ONLY_MODELS:
        return queryset if can_see_professional_data(user) else queryset.filter(own)
    if name in SERVICE_STATUS_LOOKUP:
        return queryset.filter(Q(**{f"{SERVICE_STATUS_LOOKUP[name]}__in": PUBLIC_SERVICE_STATUSES}) | own)
    return queryset


def can_see_record(user, record) -> bool:
    return visible_records(type(record)._default_manager.filter(pk=record.pk), user).exists()


def linkable_records(queryset, user):
    """The records `user` may link their records to: visible and of their organisations."""
    return scope_to_editable(visible_records(queryset, user), user)


def can_link(user, record) -> bool:
    return can_edit_record(user, record)


def choosable_records(queryset, user):
    """What a chooser lists. Choosers serve the directory's own forms, so an editor
    sees there what they may link; other staff see what they may see."""
    ids = editable_organisation_ids(user)
    if ids is None:
        return queryset
    if ids:
        return linkable_records(queryset, user)
    return visible_records(queryset, user)

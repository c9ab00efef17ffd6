"""Links between directory records of different organisations, and their removal.

A link is stored on one side only: a contact person's services, a service's
contact people and location at a place, a team's services, location and members.
The owner of the linking record removes a link in that record's form. The owner
of the *linked* record cannot open that form (it is another organisation's
record), so `incoming_links()` lists the links other organisations' records make
to the records a user edits, and `remove_link()` removes one: the admin view
"Links from other organisations" (directory.admin_views.IncomingLinksView) is
built on these two.

Removing a link that is a required foreign key removes the linking row itself:
the other organisation's service is then no longer given at your location
(ServiceAtLocation), or your organisation is no longer a member of their team
(TeamMember). Optional ones are emptied (a team's location, a member's contact
person); many-to-many links lose the one pair.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from directory.permissions import editable_organisation_ids

M2M, FK_NULL, FK_DELETE = "m2m", "fk-null", "fk-delete"


@dataclass(frozen=True)
class Link:
    key: str
    model: str  # app-less model name of the linking record
    field: str
    kind: str
    source_owner: str  # lookup from the linking row to its owner organisation
    label: object


LINKS = (
    Link(
        "contact-services", "ContactPerson", "services", M2M, "organisation", _("contact person of a service")
    ),
    Link(
        "sal-contacts",
        "ServiceAtLocation",
        "contact_people",
        M2M,
        "service__organisation",
        _("contact person at a place"),
    ),
    Link(
        "sal-location",
        "ServiceAtLocation",
        "location",
        FK_DELETE,
        "service__organisation",
        _("service given at a location"),
    ),
    Link("team-services", "Team", "services", M2M, "organisation", _("service of a team")),
    Link("team-location", "Team", "location", FK_NULL, "organisation", _("location of a team")),
    Link(
        "member-organisation",
        "TeamMember",
        "organisation",
        FK_DELETE,
        "team__organisation",
        _("member of a team"),
    ),
    Link(
        "member-contact",
        "TeamMember",
        "contact_person",
        FK_NULL,
        "team__organisation",
        _("contact person of a team member"),
    ),
)
LINKS_BY_KEY = {link.key: link for link in LINKS}


def _model(name):

    return apps.get_model("directory", name)


def _target_model(link):
    return _model(link.model)._meta.get_field(link.field).related_model


def _target_owner_lookup(link):
    lookup = _target_model(link).organisation_lookup
    return "pk" if lookup == "pk" else lookup


@dataclass
class IncomingLink:
    link: Link
    source: object  # the linking record (a TeamMember for member links)
    target: object  # the linked record, one the user edits

    @property
    def token(self):
        return f"{self.link.key}:{self.source.pk}:{self.target.pk}"

    @property
    def source_record(self):
        """The directory record that holds the link (a member's team)."""
        return self.source.team if self.link.model == "TeamMember" else self.source

    @property
    def source_organisation(self):
        return self.source_record.owner_organisation


def _rows(link, ids):
    """(source pk, source owner id, target pk, target owner id) of every link of this kind,
    narrowed to targets in `ids` (None: all)."""
    model = _model(link.model)
    target_owner = _target_owner_lookup(link)
    if link.kind == M2M:
        field = model._meta.get_field(link.field)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        queryset = through.objects.all()
        values = (
            f"{source}_id",
            f"{source}__{link.source_owner}",
            f"{target}_id",
            f"{target}__{target_owner}",
        )
        target_filter = f"{target}__{target_owner}__in"
    else:
        queryset = model.objects.filter(**{f"{link.field}__isnull": False})
        values = ("pk", link.source_owner, f"{link.field}_id", f"{link.field}__{target_owner}")
        target_filter = f"{link.field}__{target_owner}__in"
    if ids is not None:
        queryset = queryset.filter(**{target_filter: ids})
    return queryset.values_list(*values)


def incoming_links(user):
    """The links from other organisations' records to records `user` edits (for
    directory admins: every link between two organisations' records)."""
    ids = editable_organisation_ids(user)
    if ids is not None and not ids:
        return []
    found = []
    for link in LINKS:
        rows = [
            (source_pk, target_pk)
            for source_pk, source_owner, target_pk, target_owner in _rows(link, ids)
            if source_owner != target_owner and (ids is None or source_owner not in ids)
        ]
        if not rows:
            continue
        sources = _model(link.model)._default_manager.in_bulk({s for s, _ in rows})
        targets = _target_model(link)._default_manager.in_bulk({t for _, t in rows})
        found += [
            IncomingLink(link, sources[s], targets[t]) for s, t in rows if s in sources and t in targets
        ]
    return found


def find_incoming_link(user, token):
    """The incoming link `token` names, if `user` may remove it; else None."""
    for incoming in incoming_links(user):
        if incoming.token == token:
            return incoming
    return None


def remove_link(incoming, user=None):
    """Remove one link, as the owner of its target may. Returns a description for the log."""

    link, source, target = incoming.link, incoming.source, incoming.target
    record = incoming.source_record
    description = {"link": link.key, "record": str(record), "linked": str(target)}
    if link.kind == FK_DELETE and source is record:
        log(record, "wagtail.delete", user=user, data={"unlinked": description}, deleted=True)
        source.delete()
        return description
    log(record, "wagtail.edit", user=user, data={"unlinked": description})
    if link.kind == M2M:
        getattr(source, link.field).remove(target)
        source.save()
    elif link.kind == FK_NULL:
        setattr(source, link.field, None)
        source.save()
        if source is not record:
            record.save()
    else:
        source.delete()
        record.save()
    return description

"""Which directory records a user may edit.

Directory admins (and superusers) edit everything. Other editors edit the records
owned by the organisations they are linked to through OrganisationEditor, and by
those organisations' sub-organisations. Django's model permissions still decide
*what* they may do (add, change, delete); this policy decides *which* records.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from directory.roles import is_directory_admin


def editable_organisation_ids(user):
    """Ids of the organisations whose records `user` may edit, or None for "all of them"."""
    if is_directory_admin(user):
        return None
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_directory_editable_ids"):
        from directory.models import Organisation  # noqa: PLC0415 cycle: directory.models → directory.forms → directory.access → this module

        ids = set(user.directory_organisations.values_list("organisation_id", flat=True))
        frontier = set(ids)
        while frontier:  # walk down to sub-organisations, level by level
            children = set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = children - ids
            ids |= frontier
        user._directory_editable_ids = ids
    return user._directory_editable_ids


def scope_to_editable(queryset, user):
    """`queryset` narrowed to the records `user` may edit."""
    ids = editable_organisation_ids(user)
    if ids is None:
        return queryset
    lookup = queryset.model.organisation_lookup
    return queryset.filter(Q(**{f"{lookup}__in": ids}))


def can_edit_record(user, record) -> bool:
    ids = editable_organisation_ids(user)
    return ids is None or record.owner_organisation_id in ids


class OrganisationScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per record to the user's organisations."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_edit_record(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and can_edit_record(user, instance)

    def instances_user_has_permission_for(self, user, action):
        return scope_to_editable(super().instances_user_has_permission_for(user, action), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_to_editable(super().instances_user_has_any_permission_for(user, actions), user)


class AdminOnlyCreationPolicy(OrganisationScopedPermissionPolicy):
    """For organisations: editors change their own, only directory admins add new ones."""

    def user_has_permission(self, user, action):
        if action == "add" and not is_directory_admin(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

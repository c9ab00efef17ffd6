"""The groups the directory knows and what membership in them means.

professionals       see professional-only data (contact people, direct numbers,
                    referral and consultation instructions, network maps)
directory editors   edit the records of the organisations they are linked to
                    (OrganisationEditor); they see professional data too
directory admins    edit every directory record and manage editors
Superusers are directory admins.
"""

PROFESSIONALS_GROUP = "professionals"
DIRECTORY_EDITORS_GROUP = "directory editors"
DIRECTORY_ADMINS_GROUP = "directory admins"


def _group_names(user):
    # Cached on the user object, which lives for one request.
    if not hasattr(user, "_directory_group_names"):
        user._directory_group_names = set(user.groups.values_list("name", flat=True))
    return user._directory_group_names


def is_directory_admin(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or DIRECTORY_ADMINS_GROUP in _group_names(user)


def is_directory_editor(user) -> bool:
    """Linked to at least one organisation, or in the editors group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return DIRECTORY_EDITORS_GROUP in _group_names(user) or user.directory_organisations.exists()


def is_professional(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return PROFESSIONALS_GROUP in _group_names(user)

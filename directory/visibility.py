"""Who may see the directory's professional-only data (contact people, direct numbers
and e-mails, referral and consultation instructions): the one rule every output asks.

How records are shown once that is decided is directory.presenters.
"""

from directory.roles import PROFESSIONALS_GROUP, is_directory_admin, is_directory_editor, is_professional

__all__ = ["PROFESSIONALS_GROUP", "can_see_professional_data"]


def can_see_professional_data(user) -> bool:
    """Professionals, directory editors and admins, and superusers; nobody anonymous."""
    return is_professional(user) or is_directory_admin(user) or is_directory_editor(user)

"""Reviews of operating models: who reviewed a model and when, and which models need a review.

A review is a moderator's approval in the library's workflow ("Toimintamallien
tarkastus", see models_library.demo.ensure_editorial_setup). When a moderator
approves a model's moderation task, the model's `last_reviewed` becomes today
and `last_reviewed_by` the moderator. A model "needs review" when it has never
been reviewed or its last review is more than REVIEW_INTERVAL_DAYS old; the
admin report (models_library.reports) and the e-mail digest
(`manage.py send_review_digest`) list those models to the moderators.

Publishing without the workflow (a moderator's own "Publish") is not a review:
nobody but the author has looked at the content.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from models_library.demo import MODERATORS
from models_library.models import OperatingModelPage
from models_library.models.pages import REVIEW_INTERVAL_DAYS


def is_moderator(user):
    """Moderators of the library (the moderators' group) and superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS).exists()


def moderators():
    """Active members of the moderators' group who have an e-mail address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def review_due_date(last_reviewed):
    """The day after which a model reviewed on `last_reviewed` needs review again."""
    return last_reviewed + datetime.timedelta(days=REVIEW_INTERVAL_DAYS) if last_reviewed else None


def models_needing_review(today=None):
    """Published Finnish (canonical) model pages that were never reviewed or whose review is too old.

    Never-reviewed models first, then the longest-unreviewed; the same test as
    OperatingModelPage.needs_review.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    return (
        OperatingModelPage.objects.live()
        .filter(locale__language_code="fi")
        .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))
        .select_related("last_reviewed_by")
        .order_by(F("last_reviewed").asc(nulls_first=True), "title")
    )


def record_review(page, user, date=None):
    """Record that `user` reviewed `page` on `date` (today by default).

    Saves only the review fields on the page row: the revision that was just
    published stays as it is, and OperatingModelPage.with_content_json keeps the
    review when later revisions are published.
    """
    page = page.specific
    page.last_reviewed = date or timezone.localdate()
    page.last_reviewed_by = user if getattr(user, "pk", None) else None
    page.save(update_fields=list(OperatingModelPage.REVIEW_FIELDS), clean=False)
    return page


def record_review_on_approval(sender, instance, user=None, **kwargs):
    """task_approved receiver: a moderator's approval of a model's task is a review."""
    workflow_state = instance.workflow_state
    content = workflow_state.content_object
    page = getattr(content, "specific", content)
    if isinstance(page, OperatingModelPage):
        record_review(page, user)

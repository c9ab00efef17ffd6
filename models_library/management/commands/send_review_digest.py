from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from wagtail.users.models import UserProfile

from models_library import review
from models_library.reports import describe_for_review


def digest_message(user, models, report_url):
    """The digest for one moderator, in the language they use in the admin."""
    language = UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = ngettext(
            "Ovi: %(count)d operating model needs review",
            "Ovi: %(count)d operating models need review",
            len(models),
        ) % {"count": len(models)}
        body = render_to_string(
            "models_library/emails/review_digest.txt",
            {
                "name": user.get_full_name().strip() or user.get_username(),
                "models": models,
                "report_url": report_url,
            },
        )
    return mail.EmailMessage(subject, body, to=[user.email])


class Command(BaseCommand):
    help = (
        "E-mail each moderator of the operating models library the list of published models that "
        "have not been reviewed in the last 24 months. Run it from cron, e.g. weekly."
    )

    def handle(self, *args, **options):
        models = describe_for_review(review.models_needing_review())
        if not models:
            self.stdout.write("No model needs review; nothing was sent.")
            return
        recipients = list(review.moderators())
        if not recipients:
            self.stderr.write("No moderator has an e-mail address; nothing was sent.")
            return
        report_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("models_library_review_report")
        messages = [digest_message(user, models, report_url) for user in recipients]
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages)
        self.stdout.write(f"Sent the review digest ({len(models)} models) to {sent or 0} moderator(s).")

from django.core.management.base import BaseCommand, CommandError

from portal.forget import forget_person


class Command(BaseCommand):
    help = (
        "Remove a person from Ovi by e-mail address: contact people with that address (and their "
        "saved revisions and name in the history), the user account (and its sessions and login "
        "records) and the contact given in error reports. See docs/security.md, 'Data protection'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's e-mail address.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be removed.")

    def handle(self, *args, email, dry_run, **options):
        try:
            result = forget_person(email, dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write("Dry run: nothing was changed." if dry_run else "Done.")

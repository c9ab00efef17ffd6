import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local admin account for development (dev settings only) and print how to log in."

    def handle(self, *args, **options):
        if not getattr(settings, "OVI_CREATE_DEV_ADMIN", False):
            raise CommandError("The local admin account is only created with the dev settings.")
        password_file = settings.VAR_DIR / "dev-admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                User.objects.create_superuser("admin", "", password)
            else:
                user.set_password(password)
                user.save()
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        self.stdout.write(
            f"Admin: http://127.0.0.1:8000/admin/  user: admin  password: {password}"
            f"  (kept in {password_file})"
        )

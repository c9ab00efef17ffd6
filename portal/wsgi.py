import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

django_application = get_wsgi_application()

# Imported after setup: portal.caching reads the settings and the app registry.
from portal.caching import CachedAnswers  # noqa: E402

# A hit of the page cache is answered before Django's handler (portal/caching.py).
application = CachedAnswers(django_application)

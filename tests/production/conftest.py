# The system Chromium, as the page tests use it.
import os

from tests.browser.conftest import browser  # noqa: F401

# Playwright's sync API runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The system Chromium, as the page tests use it.
from tests.browser.conftest import browser  # noqa: F401

import os

# Playwright's sync API runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings

from models_library.privacy import request_scope


class ContentSecurityPolicyMiddleware:
    """Adds the site's Content-Security-Policy to public responses.

    Django 5.2 has no built-in CSP support. Every asset is served by the app,
    so 'self' is enough for the public site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.CSP_EXEMPT_PATH_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PrivacyScopeMiddleware:
    """Reads the page view restrictions once per request (models_library.privacy.request_scope):
    a page's view, its menus and Wagtail's hooks each ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)

"""The shared cache of anonymous answers, and the cache headers of every answer.

What is cached: a GET or HEAD from a visitor with no session (anonymous), whose
answer is a 200 that sets no cookie, carries no `private`/`no-store`/`no-cache`
and varies on nothing but Cookie, Accept-Language and Accept-Encoding. That
leaves out by construction every form with a CSRF token (Django sets the cookie),
Wagtail's password and login screens, the admin, the probes (`never_cache`) and
everything a signed-in professional or a visitor who passed a page password sees.

Why it is never stale:

- Content: every key includes the *content generation*, a token in the shared
  cache that is replaced whenever any content row is written (post_save,
  post_delete, m2m_changed of every model outside the bookkeeping apps below)
  or the search index changes (`search.service.index_changed`). It is replaced
  when the transaction commits, so an answer computed from the old rows by a
  concurrent request while the transaction was open is never found again, and
  at once too when this process has used the generation since it last replaced
  it, so a reader inside the same transaction sees the change. A fresh random
  token (not a counter) means two processes replacing it at once can never
  land on a value some stale answer was stored under.
- The clock: opening hours, "open now", "closed until" and today's hours change
  only at whole minutes, so no answer is kept past the end of the minute it was
  made in (and never longer than OVI_PAGE_CACHE_SECONDS).
- Language: Ovi's language comes from the path (Finnish unprefixed, /sv/, /en/)
  or the `lang` parameter, both part of the key.

Headers: a cacheable anonymous answer says `Cache-Control: public, max-age=0,
s-maxage=N, must-revalidate` with a strong ETag, so browsers revalidate
(a matching `If-None-Match` gets 304) and a reverse proxy may keep it for
OVI_PROXY_CACHE_SECONDS (0 by default; see docs/deployment.md). Any answer to a
request with a session, and any answer a view marked private, is
`private, no-store`: it may carry professional or per-user data.
"""

import contextvars
import hashlib
import logging
import pickle
import secrets
import time
from collections import OrderedDict

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers

from search.service import index_changed

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
# Part of every answer's key: change it when the stored format changes, so a
# release never reads what an older one stored.
PAGE_KEY_PREFIX = "answer-v1"
# Writes to these are bookkeeping, not content: sessions, the task queue, admin
# log rows; the search index says itself when it changed (index_changed).
# Everything else (pages, snippets, directory records, privacy rules, users who
# may appear as reviewers) changes the generation. Signals are connected per
# model, so the bookkeeping models keep Django's fast bulk deletes.
BOOKKEEPING_APPS = frozenset(
    {
        "django.contrib.sessions",
        "django.contrib.contenttypes",
        "django.contrib.admin",
        "django_tasks_db",
        "axes",
        "search",
    }
)
# Single models whose writes are not content either: error reports are never shown
# publicly, so a new report (or a flood of them) must not empty the page cache.
BOOKKEEPING_MODELS = frozenset({"portal.ErrorReport"})
# Paths whose answers are never taken from or put in the page cache.
# /oidc/ (single sign-on, portal/oidc.py) starts and ends a sign-in: it sets session cookies.
UNCACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz",
    "/readyz",
    "/oidc/",
)
VARY_ALLOWED = {"cookie", "accept-language", "accept-encoding"}
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


# --- the content generation ----------------------------------------------------------


# Whether this process has looked an answer up under the current generation since
# it last replaced it: only then can a write inside a transaction leave a stale
# answer behind for this process's next request (others cannot see the write
# before it commits, and the commit replaces the generation for them).
_generation_used = False

# The generation as read once in the current request (AnonymousCacheMiddleware opens
# the scope): the page cache and the memoized fragments below use the same value,
# so a request reads the shared cache once. Replacing the generation (a write in
# this request) forgets it, so what follows the write reads the new one.
_request_generation = contextvars.ContextVar("ovi_request_generation", default=None)


def content_generation():
    global _generation_used
    scoped = _request_generation.get()
    if scoped:
        _generation_used = True
        return scoped[0]
    generation = _read_generation()
    if generation is None:
        generation = new_generation()
    # After new_generation(), which clears the flag: this generation is now in use.
    _generation_used = True
    if scoped is not None:
        scoped.append(generation)
    return generation


def _read_generation():
    # With Redis, the value this process read last, until Redis says it changed
    # (portal.cache_backends.WatchingRedisCache); otherwise a read of the shared cache.
    watched = getattr(cache, "get_watched", None)
    return watched(GENERATION_KEY) if watched else cache.get(GENERATION_KEY)


def new_generation():
    """Replace the content generation: every cached answer is left behind at once."""
    global _generation_used
    _generation_used = False
    scoped = _request_generation.get()
    if scoped:
        scoped.clear()
    generation = secrets.token_hex(8)
    try:
        cache.set(GENERATION_KEY, generation, timeout=None)
    except Exception:  # a cache outage must not fail the write that changed content
        logger.exception("Could not replace the content generation")
    return generation


def _after_commit():
    new_generation()


def content_changed(using=DEFAULT_DB_ALIAS):
    """Call after writing content outside the ORM's signals (bulk updates, raw SQL)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        new_generation()
        return
    if _generation_used:
        new_generation()
    if not any(func is _after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_after_commit, using=using)


# Saves that change nothing a page shows: Django records every sign-in in
# User.last_login, and a busy morning of sign-ins must not empty the page cache.
NON_CONTENT_UPDATES = frozenset({frozenset({"last_login"})})


def _on_model_write(sender, using=DEFAULT_DB_ALIAS, action=None, update_fields=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return
    if update_fields is not None and frozenset(update_fields) in NON_CONTENT_UPDATES:
        return
    content_changed(using or DEFAULT_DB_ALIAS)


def _on_index_changed(sender, **kwargs):
    new_generation()


def connect_signals():

    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_config.name in BOOKKEEPING_APPS or model._meta.label in BOOKKEEPING_MODELS:
            continue
        uid = f"portal.caching.{model._meta.label}"
        post_save.connect(_on_model_write, sender=model, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(_on_model_write, sender=model, dispatch_uid=f"{uid}.post_delete")
        m2m_changed.connect(_on_model_write, sender=model, dispatch_uid=f"{uid}.m2m_changed")
    index_changed.connect(_on_index_changed, dispatch_uid="portal.caching.index_changed")


# --- memoized fragments -----------------------------------------------------------------
#
# Parts every page shows the same way to every anonymous visitor (the menus, the
# directory's URL routes) are computed once per content generation in each process,
# so they follow exactly the page cache's invalidation: any content write replaces
# the generation and with it every memoized value. They are kept even when the page
# cache is off (OVI_PAGE_CACHE_SECONDS=0): the generation is maintained either way.

# Menus, routes and the door finder's places and services (a service with its relations
# is some tens of kilobytes): a bound on each process's memory, not a tuning knob.
MEMO_ENTRIES = 2048
_memo: "OrderedDict[tuple, tuple[str, object]]" = OrderedDict()


def memoized(key, compute, shared=False):
    """compute() for `key` (hashable, including everything the value depends on: the
    language, the host) once per content generation; a cache outage computes it anew.
    `shared`: see memoized_many()."""
    return memoized_many([key], lambda keys: {key: compute()}, shared=shared)[key]


def memoized_many(keys, compute, shared=False):
    """{key: value} for each of `keys`, like memoized(); compute(missing keys) -> {key: value}
    is called once, for the keys not yet memoized in this generation. A key compute()
    leaves out is left out of the answer too (and asked again next time).

    `shared` (with OVI_SHARED_MEMO, on with Redis): what this process lacks is looked up
    in the shared cache before it is computed, and what it computes is put there, so
    one process's work after an edit serves every process of every server. For values
    that depend on nothing but the key, the content and the code: never on the user."""
    try:
        generation = content_generation()
    except Exception:
        logger.exception("Page cache unavailable; computing without it")
        return compute(list(keys))
    found, missing = {}, []
    for key in keys:
        entry = _memo.get(key)
        if entry is not None and entry[0] == generation:
            found[key] = entry[1]
        else:
            missing.append(key)
    shared = shared and settings.OVI_SHARED_MEMO
    if missing and shared:
        for key, value in _shared_read(generation, missing).items():
            found[key] = value
            _memo[key] = (generation, value)
        missing = [key for key in missing if key not in found]
    if missing:
        computed = compute(missing)
        kept = {key: computed[key] for key in missing if key in computed}
        for key, value in kept.items():
            found[key] = value
            _memo[key] = (generation, value)
        if shared and kept:
            _shared_write(generation, kept)
    _trim_memo()
    return found


# How long a shared memo entry is kept at most: a new generation leaves it behind at
# once; this only bounds the shared cache's memory.
SHARED_MEMO_SECONDS = 600
_fingerprint = None


def code_fingerprint():
    """A digest of Ovi's source and its main libraries' versions: shared memo entries
    are pickled model instances, which only the same code may read (during a rolling
    upgrade old and new processes must not share them)."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(f"{django.__version__}:{wagtail.__version__}".encode())
        for app in ("portal", "directory", "models_library", "search"):
            for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
                digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


def _shared_key(generation, key):
    digest = hashlib.sha256(repr(key).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"memo-v1:{code_fingerprint()}:{generation}:{digest}"


def _shared_read(generation, keys):
    names = {_shared_key(generation, key): key for key in keys}
    try:
        stored = cache.get_many(list(names))
    except Exception:  # unreachable, or an entry that does not unpickle: computed anew
        logger.warning("Shared memo unavailable; computing", exc_info=True)
        return {}
    return {names[name]: value for name, value in stored.items()}


def _shared_write(generation, values):
    try:
        cache.set_many(
            {_shared_key(generation, key): value for key, value in values.items()},
            timeout=SHARED_MEMO_SECONDS,
        )
    except Exception:
        logger.warning("Could not keep memoized values in the shared cache", exc_info=True)


def _trim_memo():
    while len(_memo) > MEMO_ENTRIES:
        try:
            _memo.popitem(last=False)
        except KeyError:  # another thread emptied it first
            break


# --- stored answers -------------------------------------------------------------------
#
# An answer is stored once under a key that includes the content generation, and
# never changes afterwards: it only expires. So besides the shared cache, each
# process keeps the last answers it read (pickled, with their expiry time) and
# skips the second shared-cache read for them. The generation is still read from
# the shared cache on every request, so an edit anywhere is seen at once.

LOCAL_ENTRIES = 256


class _KeptAnswer:
    """An answer as kept in this process: the stored pickle, and the WSGI triple
    CachedAnswers serves, worked out from it once."""

    __slots__ = ("expires_at", "pickled", "_wsgi")

    def __init__(self, expires_at, pickled):
        self.expires_at = expires_at
        self.pickled = pickled
        self._wsgi = None

    def response(self):
        # A fresh object every time: the middleware and Django's handler change it.
        return pickle.loads(self.pickled)

    def wsgi(self):
        """(status line, headers, body) exactly as Django's WSGI handler sends a hit."""
        if self._wsgi is None:
            response = self.response()
            headers = [*response.items(), ("X-Cache", "hit")]
            self._wsgi = (f"{response.status_code} {response.reason_phrase}", headers, response.content)
        return self._wsgi


_local_answers: "OrderedDict[str, _KeptAnswer]" = OrderedDict()


def _remember(key, response, max_age):
    expires_at = time.time() + max_age
    pickled = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
    cache.set(key, (expires_at, pickled), timeout=max_age)
    _keep_locally(key, _KeptAnswer(expires_at, pickled))


def _kept(key):
    kept = _local_answers.get(key)
    if kept is None:
        entry = cache.get(key)
        if entry is None:
            return None
        kept = _KeptAnswer(*entry)
        _keep_locally(key, kept)
    if kept.expires_at <= time.time():
        _local_answers.pop(key, None)
        return None
    return kept


def _recall(key):
    kept = _kept(key)
    return None if kept is None else kept.response()


def _keep_locally(key, kept):
    _local_answers[key] = kept
    while len(_local_answers) > LOCAL_ENTRIES:
        try:
            _local_answers.popitem(last=False)
        except KeyError:  # another thread emptied it first
            break


# --- which requests the cache answers ------------------------------------------------------
#
# Read from the WSGI environ (a request's META), so that CachedAnswers, before Django,
# and the middleware, inside it, decide alike and compute the same key.


def seconds_left_in_minute(now=None):
    now = time.time() if now is None else now
    return max(1, int(60 - now % 60))


def _has_session(environ):
    if "HTTP_AUTHORIZATION" in environ:
        return True
    cookies = environ.get("HTTP_COOKIE")
    return bool(cookies) and settings.SESSION_COOKIE_NAME in parse_cookie(cookies)


def _is_secure(environ):
    # As HttpRequest.is_secure() reads it.
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _path(environ):
    return environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")


def _is_candidate(environ):
    return (
        settings.OVI_PAGE_CACHE_SECONDS > 0
        and environ.get("REQUEST_METHOD", "").upper() in ("GET", "HEAD")
        and not _path(environ).startswith(UNCACHED_PREFIXES)
        and not _has_session(environ)
        # Plain HTTP is for SecurityMiddleware to redirect, not for the cache to answer.
        and (not settings.SECURE_SSL_REDIRECT or _is_secure(environ))
    )


def _host(environ):
    # The host as HttpRequest.get_host() reads it, unvalidated: an answer is only ever
    # stored for a host Django accepted while making it, so an unknown host finds none.
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def _cache_key(environ, generation):
    # The raw path and query string: both cache layers see them before any decoding.
    address = f"{_host(environ)}{_path(environ)}?{environ.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{generation}:{digest}"


def _seconds_to_keep():
    return min(settings.OVI_PAGE_CACHE_SECONDS, seconds_left_in_minute())


def _public_cache_control(max_age):
    return f"public, max-age=0, s-maxage={min(settings.OVI_PROXY_CACHE_SECONDS, max_age)}, must-revalidate"


def _is_personal(request):
    # A session (or credentials) or a signed-in user: the answer may be this person's own.
    user = getattr(request, "user", None)
    return _has_session(request.META) or bool(user and user.is_authenticated)


def _directives(response):
    return {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }


def _is_storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    if _directives(response) & set(PRIVATE_DIRECTIVES):
        return False
    vary = {
        header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()
    }
    return vary <= VARY_ALLOWED


def _public_headers(response, max_age):
    if "ETag" not in response:
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=min(settings.OVI_PROXY_CACHE_SECONDS, max_age),
        must_revalidate=True,
    )
    patch_vary_headers(response, ("Cookie",))


def _mark_private(response):
    # Replace, not add to, whatever a view said: nothing shared may keep it.
    if "Cache-Control" in response:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))


class AnonymousCacheMiddleware:
    """Serves and stores anonymous answers in the shared cache; sets cache headers.

    It is the outermost middleware: an answer is stored with every header the
    others added (security headers, CSP), and a hit costs one shared-cache read
    (the generation; the answer itself from this process's copy, or a second read)
    and none of the session, locale, static-file or view work. It also opens the
    request's scope of the generation (memoized() reuses the value it read).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set([])
        try:
            return self._respond(request)
        finally:
            _request_generation.reset(token)

    def _respond(self, request):
        if not _is_candidate(request.META):
            response = self.get_response(request)
            if _is_personal(request):
                if not request.path.startswith(("/static/", "/media/")):
                    _mark_private(response)
            return response

        try:
            key = _cache_key(request.META, content_generation())
            cached = _recall(key)
        except Exception:
            logger.exception("Page cache unavailable; answering without it")
            return self.get_response(request)
        if cached is not None:
            return self._answer(request, cached, hit=True)

        response = self.get_response(request)
        if not _is_storable(request, response):
            if _is_personal(request):
                _mark_private(response)
            return response
        max_age = _seconds_to_keep()
        _public_headers(response, max_age)
        if request.method == "GET":
            try:
                _remember(key, response, max_age)
            except Exception:
                logger.exception("Could not store an answer in the page cache")
        return self._answer(request, response, hit=False)

    def _answer(self, request, response, hit):
        response["X-Cache"] = "hit" if hit else "miss"
        if hit and settings.OVI_PROXY_CACHE_SECONDS:  # what a proxy may keep shrinks as the minute runs out
            response["Cache-Control"] = _public_cache_control(_seconds_to_keep())
        if "HTTP_IF_NONE_MATCH" in request.META:
            conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
            if isinstance(conditional, HttpResponseNotModified):
                return conditional
        return response


# --- hits before Django --------------------------------------------------------------------


class CachedAnswers:
    """WSGI application around Django's: answers a hit of the page cache itself.

    A hit needs nothing of Django's request handling (the request object, the
    request signals, URL resolution, the middleware chain) and under gunicorn that
    handling cost more than the hit itself. This answers a cacheable request straight
    from the environ: the same test (_is_candidate), the same key, the same kept answer
    and the same headers as AnonymousCacheMiddleware's hit, with X-Cache: hit.
    Everything else goes to Django, including conditional requests (the middleware
    answers those with 304) and every request while the shared cache is unreachable
    (the middleware logs the outage and answers uncached).
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if _is_candidate(environ) and "HTTP_IF_NONE_MATCH" not in environ:
            try:
                kept = _kept(_cache_key(environ, content_generation()))
            except Exception:
                kept = None
            if kept is not None:
                status, headers, body = kept.wsgi()
                headers = list(headers)
                if settings.OVI_PROXY_CACHE_SECONDS:  # as the middleware's hit: shrinks with the minute
                    headers = [(name, value) for name, value in headers if name != "Cache-Control"]
                    headers.append(("Cache-Control", _public_cache_control(_seconds_to_keep())))
                start_response(status, headers)
                return [b"" if environ["REQUEST_METHOD"].upper() == "HEAD" else body]
        return self.application(environ, start_response)

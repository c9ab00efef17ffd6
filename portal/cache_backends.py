"""Django's RedisCache, except that an unreachable cache server is a miss, not an error,
and that a key can be watched instead of read on every request (WatchingRedisCache).

Wagtail and the page cache both read the default cache on every request: with
the stock backend a Redis restart would fail every page. Here a failed call is
logged and answered as if the key were absent (reads) or as not stored
(writes), so the site keeps serving, uncached, until the server is back.
"""

import functools
import logging
import os
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _tolerant(default_from_args):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("Cache server unavailable (%s): %s", method.__name__, error)
                return default_from_args(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty_dict(*args, **kwargs):
    return {}


def _default(key, default=None, *args, **kwargs):
    return default


def _keys(data, *args, **kwargs):
    return list(data)


class ResilientRedisCache(RedisCache):
    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant(_empty_dict)(RedisCache.get_many)
    has_key = _tolerant(_false)(RedisCache.has_key)
    add = _tolerant(_false)(RedisCache.add)
    set = _tolerant(_none)(RedisCache.set)
    set_many = _tolerant(_keys)(RedisCache.set_many)  # the keys that failed: all of them
    touch = _tolerant(_false)(RedisCache.touch)
    delete = _tolerant(_false)(RedisCache.delete)
    delete_many = _tolerant(_none)(RedisCache.delete_many)
    clear = _tolerant(_false)(RedisCache.clear)


# --- keys watched without a round trip ----------------------------------------------------
#
# The content generation (portal/caching.py) is read on every request, and under
# gunicorn that one Redis round trip was most of the cost of a cached answer (the
# answer itself is kept in the process). Redis can say instead when a key changes:
# with CLIENT TRACKING in broadcasting mode it pushes an invalidation on a connection
# of ours whenever any client writes a key under a watched prefix. So each process
# keeps the watched values it read and, on every read, only looks whether anything
# arrived on that connection (a non-blocking check, no round trip). Anything that
# arrived (an invalidation, the server closing the connection) forgets the values
# and opens a new watch before the next read, so a change is never missed. Redis
# sends the invalidation in the same event-loop turn as its reply to the writer, so
# a request that starts after the write has returned finds the change.


class _Watch:
    """One tracking connection per process and cache location, shared by its threads."""

    RETRY_SECONDS = 1.0  # after a failed connect: the Redis outage is read through, not waited on

    def __init__(self, url, options):
        self.url = url
        self.options = {k: v for k, v in options.items() if k.startswith("socket_")}
        self.prefixes = set()
        self.values = {}
        self.client = None
        self.pid = None
        self.retry_at = 0.0
        self.lock = threading.Lock()

    def get(self, full_key, read):
        """The value of full_key: read() once, then kept until Redis says it changed."""
        with self.lock:
            if full_key not in self.prefixes:
                self.prefixes.add(full_key)
                self._close()
            if not self._still_watching() and not self._open():
                return read()
            if full_key not in self.values:
                self.values[full_key] = read()
            return self.values[full_key]

    def forget(self, full_key=None):
        # This process wrote the key (None: every key): its own next read must not wait
        # for the push.
        with self.lock:
            if full_key is None:
                self.values.clear()
            else:
                self.values.pop(full_key, None)

    def _still_watching(self):
        if self.client is None or self.pid != os.getpid():
            return False
        try:
            if not self.client.connection.can_read(timeout=0):
                return True
        except (RedisError, OSError):
            pass
        self._close()  # an invalidation arrived, or the connection ended
        return False

    def _open(self):
        self.values.clear()
        if time.monotonic() < self.retry_at:
            return False
        try:
            client = redis.Redis.from_url(self.url, protocol=3, single_connection_client=True, **self.options)
            client.client_tracking_on(bcast=True, prefix=sorted(self.prefixes))
        except (RedisError, OSError) as error:
            logger.warning("Cache server unavailable (watch): %s", error)
            self.retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        self.client, self.pid = client, os.getpid()
        return True

    def _close(self):
        self.values.clear()
        client, self.client = self.client, None
        if client is not None and self.pid == os.getpid():
            try:
                client.close()
            except (RedisError, OSError):
                pass


_watches: dict[str, _Watch] = {}
_watches_lock = threading.Lock()


class WatchingRedisCache(ResilientRedisCache):
    """ResilientRedisCache with get_watched(): a read served from this process until
    Redis tells it the key changed (see _Watch above)."""

    def _watch(self):
        location = self._servers[0]
        with _watches_lock:
            if location not in _watches:
                _watches[location] = _Watch(location, self._options)
            return _watches[location]

    def get_watched(self, key, default=None, version=None):
        full_key = self.make_and_validate_key(key, version=version)
        return self._watch().get(full_key, lambda: self.get(key, default, version=version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout=timeout, version=version)
        self._watch().forget(self.make_and_validate_key(key, version=version))

    def delete(self, key, version=None):
        deleted = super().delete(key, version=version)
        self._watch().forget(self.make_and_validate_key(key, version=version))
        return deleted

    def clear(self):
        cleared = super().clear()
        self._watch().forget()
        return cleared

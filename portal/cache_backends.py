"""Django's RedisCache, except that an unreachable cache server is a miss, not an error.

Wagtail and the page cache both read the default cache on every request: with
the stock backend a Redis restart would fail every page. Here a failed call is
logged and answered as if the key were absent (reads) or as not stored
(writes), so the site keeps serving, uncached, until the server is back.
"""

import functools
import logging

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

"""
A Redis cache that degrades to no cache when Redis is down: pages are then
served uncached instead of failing.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _missing_key(*args, **kwargs):
    # incr() and decr() raise ValueError for a missing key; callers handle that.
    raise ValueError("the cache is unavailable")


# What each operation answers when the cache cannot be reached: a miss.
_FALLBACKS = {
    "incr": _missing_key,
    "decr": _missing_key,
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "add": lambda *args, **kwargs: False,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


def _degrading(name, method):
    fallback = _FALLBACKS[name]

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable during %s: %s", name, error)
            return fallback(*args, **kwargs)

    return wrapper


class ResilientRedisCache(RedisCache):
    pass


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _degrading(_name, getattr(RedisCache, _name)))

"""Keys watched through Redis's invalidation pushes (portal.cache_backends.WatchingRedisCache).

Against the real Redis server of the PostgreSQL suite in .ci/run (REDIS_URL).
"""

import os
import pickle
import time

import pytest
import redis
from django.core.cache import caches

from portal import caching


@pytest.fixture
def redis_url(settings):
    if not settings.REDIS_URL:
        if os.environ.get("OVI_REQUIRE_REDIS") == "1":
            pytest.fail("OVI_REQUIRE_REDIS=1 but REDIS_URL is not set")
        pytest.skip("REDIS_URL not set")
    return settings.REDIS_URL


@pytest.fixture
def watching_cache(redis_url):
    cache = caches.create_connection("default")
    reads = []
    real_get = cache.get
    cache.get = lambda key, *args, **kwargs: reads.append(key) or real_get(key, *args, **kwargs)
    cache.reads = reads
    cache.set("watched-test", "first")
    yield cache
    cache.delete("watched-test")


@pytest.fixture
def other_client(redis_url):
    """Another Redis client, as another app server would write."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def written_elsewhere(client, cache, value):
    # As Django's RedisSerializer stores a string.
    client.set(cache.make_key("watched-test"), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def first_value_within(cache, expected, seconds=1.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = cache.get_watched("watched-test")
        if value == expected:
            return value
        time.sleep(0.001)
    return cache.get_watched("watched-test")


def test_a_watched_key_is_read_once_while_it_does_not_change(watching_cache):
    values = [watching_cache.get_watched("watched-test") for _ in range(20)]

    assert values == ["first"] * 20
    assert len(watching_cache.reads) == 1


def test_a_write_by_another_server_is_seen(watching_cache, other_client):
    assert watching_cache.get_watched("watched-test") == "first"

    written_elsewhere(other_client, watching_cache, "second")

    assert first_value_within(watching_cache, "second") == "second"
    assert len(watching_cache.reads) == 2


def test_a_write_by_this_process_is_seen_on_the_next_read(watching_cache):
    assert watching_cache.get_watched("watched-test") == "first"

    watching_cache.set("watched-test", "mine")

    assert watching_cache.get_watched("watched-test") == "mine"


def test_a_lost_watch_reads_the_key_again(watching_cache, other_client):
    assert watching_cache.get_watched("watched-test") == "first"
    watch = watching_cache._watch()
    other_client.client_kill_filter(_id=watch.client.client_id())
    written_elsewhere(other_client, watching_cache, "after the loss")

    assert first_value_within(watching_cache, "after the loss") == "after the loss"


def test_the_content_generation_replaced_by_another_server_empties_the_page_cache(
    client, site_shell, other_client
):
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"

    other_client.set(
        caching.cache.make_key(caching.GENERATION_KEY), pickle.dumps("elsewhere", pickle.HIGHEST_PROTOCOL)
    )
    deadline = time.monotonic() + 1
    while caching.content_generation() != "elsewhere" and time.monotonic() < deadline:
        time.sleep(0.001)

    assert client.get("/")["X-Cache"] == "miss"

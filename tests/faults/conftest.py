"""Fixtures of the fault tests: a private Redis, the customer's webhook, and a workspace whose agent
answers the API channel on an OpenAI model served by the local fake (slow when a test says so)."""

from __future__ import annotations

import shutil
import time

import pytest
import requests
from celery import Celery
from django.conf import settings

from accounts.services.api_keys import api_key_issue
from agent_platform.tenancy import workspace_scope
from conversations.models import ApiChannelSettings, Message
from integrations.ai.fakes.server import FakeAIServer
from integrations.models import AICredential
from tests.agents.factories import AgentFactory
from tests.billing.stripe_fixtures import local_stripe, stripe_ready  # noqa: F401 (shared fixtures)
from tests.conftest import access_token_for
from tests.faults.kommo_platform import kommo_platform_running
from tests.faults.processes import RedisServer, WebhookSink, broker_client, database_url, platform_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def sink():
    webhook = WebhookSink()
    yield webhook
    webhook.close()


@pytest.fixture
def fake_model():
    with FakeAIServer() as server:
        server.reply_text = "We deliver in 3 days."
        yield server


@pytest.fixture
def api_workspace(transactional_db, workspace, owner, fake_model, sink):
    """The workspace answering on the API channel, its replies posted to `sink`; returns an API key."""
    with workspace_scope(workspace.pk):
        AICredential.objects.create(
            workspace=workspace, provider="openai", api_key="sk-faults", base_url=fake_model.openai_base_url
        )
        AgentFactory(
            workspace=workspace,
            actor=owner,
            name="Support",
            answering=True,
            model_provider="openai",
            model_id="gpt-4o-mini",
        )
        ApiChannelSettings.objects.create(workspace=workspace, webhook_url=sink.url, signing_secret="s" * 32)
        _, key = api_key_issue(workspace=workspace, name="faults", scopes=["channel_api"], actor=owner)
    return key


@pytest.fixture
def env_for(redis_server):
    """`env_for(port=None)`: a platform process's environment, through a proxy on `port` if given."""

    def make(port: int | None = None, **extra: str) -> dict[str, str]:
        return platform_env(
            database_url=database_url(settings.DATABASES["default"], port=port), redis=redis_server, **extra
        )

    return make


@pytest.fixture
def kommo_platform(transactional_db, workspace, owner, env_for, broker, tmp_path, settings):
    """Kommo connected to the platform's real web server and worker (`tests/faults/kommo_platform.py`)."""
    with kommo_platform_running(
        workspace=workspace, owner=owner, env_for=env_for, broker=broker, tmp_path=tmp_path, settings=settings
    ) as platform:
        yield platform


@pytest.fixture
def broker(redis_server):
    client = broker_client(redis_server)
    yield client
    client.close()


def message_states(workspace) -> dict[str, list[tuple]]:
    """Every message of the workspace: customer messages (chat, status) and AI replies (chat, status, reason)."""
    with workspace_scope(workspace.pk):
        rows = Message.objects.select_related("conversation").order_by("pk")
        return {
            "in": [(m.conversation.external_chat_id, m.status) for m in rows if m.direction == "in"],
            "ai": [(m.conversation.external_chat_id, m.status, m.status_reason) for m in rows if m.author == "ai"],
        }


FINAL_IN = {"answered", "skipped"}
FINAL_AI = {"sent", "failed", "rejected", "skipped"}


def ai_replies(workspace) -> list[Message]:
    with workspace_scope(workspace.pk):
        return list(Message.objects.filter(author="ai").select_related("conversation"))


def redeliver_unacknowledged(redis_url: str) -> None:
    """What a consumer does once the visibility timeout passed: requeue the dead worker's deliveries."""
    client = Celery(
        "redeliver", broker=redis_url, broker_transport_options={"visibility_timeout": 0}, set_as_current=False
    )
    with client.connection_for_write() as connection:
        connection.default_channel.qos.restore_visible(num=1000)
    client.close()


def retry_failed_replies(web_url: str, owner, workspace) -> int:
    """What an operator does on the conversation page: retry every failed reply (through the server)."""
    failed = [m for m in ai_replies(workspace) if m.status == "failed"]
    for reply in failed:
        response = requests.post(
            f"{web_url}/api/conversations/{reply.conversation_id}/messages/{reply.pk}/retry",
            headers={"Authorization": f"Bearer {access_token_for(owner)}", "X-Workspace": str(workspace.pk)},
            timeout=10,
        )
        assert response.status_code in (200, 202), response.text
    return len(failed)


def all_final(workspace) -> bool:
    states = message_states(workspace)
    return all(s in FINAL_IN | {"received"} for _, s in states["in"]) and all(s in FINAL_AI for _, s, _ in states["ai"])


def settle(workspace, timeout: float = 20) -> None:
    """Wait until nothing is in flight and the counts stop changing for a second."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        states = message_states(workspace)
        if all_final(workspace) and states == last:
            return
        last = states
        time.sleep(1)
    raise AssertionError(f"messages still in flight: {message_states(workspace)}")

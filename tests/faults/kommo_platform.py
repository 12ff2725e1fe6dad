"""The Kommo side of the fault tests: the local Kommo (integrations.kommo.fakes) with an account our
platform is connected to through OAuth, a Salesbot whose widget_request goes to the platform's real
web server, and an agent answering WhatsApp on the offline model; the platform's web server and a
Celery worker are real processes on the fault tests' private Redis (`tests/faults/conftest.py`).

What the local Kommo received is what the customer got: `bot_sends(account)` counts the bot's
messages per chat, and `sent_replies(workspace)` our replies marked sent per chat — equal when no
reply was lost or sent twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from integrations.kommo import services
from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.state import FakeAccount
from integrations.kommo.models import KommoIntegration, SalesbotDispatch
from tests.agents.factories import AgentFactory
from tests.faults.processes import WebServer, Worker
from tests.integrations.kommo.conftest import oauth_connect


@dataclass
class KommoPlatform:
    kommo: FakeKommo
    account: FakeAccount
    integration: KommoIntegration
    web: WebServer
    worker: Worker
    bot_id: int

    @property
    def webhook_url(self) -> str:
        return f"{self.web.url}/api/webhooks/kommo/{self.integration.webhook_secret}"


@contextmanager
def kommo_platform_running(*, workspace, owner, env_for, broker, tmp_path, settings) -> Iterator[KommoPlatform]:
    """Kommo connected (webhooks registered at the platform's web server, synced, a Salesbot chosen),
    an agent answering WhatsApp, the web server and one worker running. The worker's processing is
    what production runs; the only difference is the address (loopback) and the Redis (private)."""
    with FakeKommo(rate_limit_rps=7) as kommo:
        account = kommo.add_account(subdomain="acme", name="Acme Imports")
        kommo.add_integration(
            account,
            client_id=settings.KOMMO_CLIENT_ID,
            client_secret=settings.KOMMO_CLIENT_SECRET,
            redirect_uri=settings.KOMMO_REDIRECT_URI,
            revoke_hook_url=f"{settings.PUBLIC_URL}/api/webhooks/kommo/revoked",
        )
        web = WebServer(env_for(), tmp_path / "web.log").start()
        worker = Worker(env_for(), tmp_path / "worker.log", broker).start("kommo")
        try:
            settings.PUBLIC_URL = web.url  # the webhook destination registered in Kommo
            integration = oauth_connect(kommo, account, workspace, owner)
            bot_id = kommo.add_salesbot(
                account,
                name="AI replies",
                widget_request_url=f"{web.url}/api/webhooks/kommo/salesbot",
                data={"lead_id": "{{lead.id}}", "chat_id": "{{chat.id}}"},
                client_id=settings.KOMMO_CLIENT_ID,
            )
            with workspace_scope(workspace.pk):
                services.connection_setup(integration_id=integration.pk)
                integration = services.settings_update(
                    integration=KommoIntegration.objects.get(), user=owner, salesbot_bot_id=bot_id
                )
            AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"], name="Kommo agent")
            yield KommoPlatform(kommo, account, integration, web, worker, bot_id)
        finally:
            worker.stop()
            web.stop()


def bot_sends(account: FakeAccount) -> Counter:
    """The bot's messages the local Kommo stored, per chat: what the customers received."""
    return Counter(m["chat_id"] for m in account.messages if m["type"] == "outgoing" and m["author"]["type"] == "bot")


def sent_replies(workspace) -> Counter:
    with workspace_scope(workspace.pk):
        sent = Message.objects.filter(author="ai", status="sent")
        return Counter(sent.values_list("conversation__external_chat_id", flat=True))


def reply_states(workspace) -> Counter:
    with workspace_scope(workspace.pk):
        return Counter(Message.objects.filter(author="ai").values_list("status", flat=True))


def dispatches(workspace) -> Counter:
    with workspace_scope(workspace.pk):
        return Counter(SalesbotDispatch.objects.values_list("status", flat=True))


def requests_to(kommo: FakeKommo, path_part: str) -> list:
    with kommo.lock:
        return [r for r in kommo.requests if path_part in r.path]

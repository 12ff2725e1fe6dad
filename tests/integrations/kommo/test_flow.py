"""The whole Kommo loop over real HTTP with a real Celery worker: a customer writes on WhatsApp in the
local Kommo → its webhook reaches our server → the agent answers → the reply goes out through
Salesbot (bots/run → widget_request → continue) → the bot's message is on the lead in Kommo. A
manager answering in Kommo pauses the AI; a redelivered webhook changes nothing."""

import time

import pytest
import requests

from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation, Message
from integrations.kommo import services
from integrations.kommo.models import KommoIntegration
from tests.agents.factories import AgentFactory
from tests.integrations.kommo.conftest import eventually, oauth_connect
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wired(kommo, account, workspace, owner, live_server, settings, celery_worker_process):
    """Kommo connected, its webhooks pointed at our live server, synced, a Salesbot chosen, and an
    agent answering WhatsApp from the knowledge base."""
    settings.PUBLIC_URL = live_server.url
    integration = oauth_connect(kommo, account, workspace, owner)
    bot_id = kommo.add_salesbot(
        account,
        name="AI replies",
        widget_request_url=f"{live_server.url}/api/webhooks/kommo/salesbot",
        data={"lead_id": "{{lead.id}}", "chat_id": "{{chat.id}}"},
        client_id=settings.KOMMO_CLIENT_ID,
    )
    with workspace_scope(workspace.pk):
        services.connection_setup(integration_id=integration.pk)
        services.settings_update(integration=KommoIntegration.objects.get(), user=owner, salesbot_bot_id=bot_id)
    ArticleFactory(
        workspace=workspace,
        actor=owner,
        title="Delivery times",
        body="<p>We deliver orders within 3 business days across Brazil. Express delivery arrives the next day.</p>",
        indexed=True,
    )
    AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"], name="Kommo agent")
    return integration


def messages_on_lead(account, lead_id):
    return [m for m in account.messages if m.get("lead_id") == lead_id]


def test_a_whatsapp_customer_is_answered_through_salesbot(wired, kommo, account, workspace):
    event = kommo.customer_writes(
        account, origin="whatsapp", text="How long does delivery take?", name="Ana", phone="+5511999990000"
    )
    lead_id = event["lead_id"]
    bot = eventually(
        lambda: [m for m in messages_on_lead(account, lead_id) if m["type"] == "outgoing"],
        what="the bot's reply on the lead",
    )
    assert "3 business days" in bot[0]["text"]
    with workspace_scope(workspace.pk):
        conversation = Conversation.objects.get(channel="whatsapp")
        assert (conversation.external_lead_id, conversation.external_chat_id) == (str(lead_id), event["chat_id"])
        assert conversation.pipeline_id == account.main_pipeline["id"]
        reply = eventually(
            lambda: Message.objects.filter(author="ai", status="sent").first(), what="the reply marked sent"
        )
        assert reply.text == bot[0]["text"]
        customer = Message.objects.get(author="customer")
        assert customer.status == "answered"
        # The bot's own message came back as an outgoing message[add]: not a manager, no pause.
        assert kommo.wait_for_webhooks()
        time.sleep(1)
        conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.OPEN
        assert Message.objects.filter(author="human").count() == 0

    # A manager answers in Kommo: the message joins the thread and the AI steps back.
    kommo.manager_writes(account, lead_id, text="Hi Ana, Maria here. I'll take it from here.")
    with workspace_scope(workspace.pk):
        human = eventually(lambda: Message.objects.filter(author="human").first(), what="the manager's message")
        assert human.text.startswith("Hi Ana, Maria here")
        conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.HUMAN and conversation.ai_paused_until
    kommo.customer_writes(account, origin="whatsapp", text="Thanks! And express?", chat_id=event["chat_id"])
    with workspace_scope(workspace.pk):
        skipped = eventually(
            lambda: Message.objects.filter(author="customer", status="skipped").first(), what="the paused AI"
        )
        assert "paused" in skipped.status_reason


def test_a_redelivered_webhook_changes_nothing(wired, kommo, account, workspace, live_server):
    kommo.customer_writes(account, origin="telegram", text="Do you ship to Rio?", name="Bo")
    assert kommo.wait_for_webhooks()
    # The worker registers the hooks at the session's platform address too (nothing listens there):
    # the delivery to resend is the one our live server took.
    delivery = next(
        d for d in account.deliveries if d.setting == "add_message" and d.destination.startswith(live_server.url)
    )
    again = requests.post(
        delivery.destination,
        data=delivery.body.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    with workspace_scope(workspace.pk):
        eventually(lambda: Message.objects.filter(author="customer").exists(), what="the customer message")
        time.sleep(1)
        assert Message.objects.filter(author="customer").count() == 1

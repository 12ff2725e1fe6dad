"""The Chats API route end to end, over real HTTP with a real worker: a customer writes through our
API channel → the chat is imported into the local Kommo (a lead appears there, and its webhook links
our conversation to it) → the AI's reply is sent there as the channel's bot → a manager answers in
Kommo → the signed hook brings it to us: it pauses the AI, reaches the customer through the API
channel's webhook, and is not copied back."""

import pytest
from django.conf import settings as django_settings

from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation, Message
from conversations.services import api_channel_configure
from integrations.kommo import services
from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver
from integrations.kommo.models import KommoChat, KommoIntegration
from tests.agents.factories import AgentFactory
from tests.conftest import client_for
from tests.integrations.kommo.conftest import eventually, oauth_connect
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHANNEL_ID = "5b1d3c55-2f0e-4e7a-8d8e-5a1c7e0f4b21"
CHANNEL_SECRET = "site-chat-channel-secret"
CHANNEL_CODE = "acme.site.chat"


@pytest.fixture
def kommo(kommo_hub_port):
    """On the session's hub port: the worker reaches the Chats API there (KOMMO_AMOJO_URL)."""
    with FakeKommo(port=kommo_hub_port) as fake:
        yield fake


@pytest.fixture
def customer_side():
    """The business's website backend: receives our replies through the API channel's webhook."""
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def wired(kommo, account, workspace, owner, live_server, settings, celery_worker_process, customer_side):
    settings.PUBLIC_URL = live_server.url
    integration = oauth_connect(kommo, account, workspace, owner)
    kommo.add_chat_channel(
        CHANNEL_ID,
        CHANNEL_SECRET,
        f"{live_server.url}/api/webhooks/kommo/chats/:scope_id",
        code=CHANNEL_CODE,
        client_id=django_settings.KOMMO_CLIENT_ID,
    )
    with workspace_scope(workspace.pk):
        services.connection_setup(integration_id=integration.pk)
        api_channel_configure(workspace=workspace, webhook_url=f"{customer_side.url}/replies", user=owner)
    route = {
        "reply_route": "chats_api",
        "chats_channel": {"channel_id": CHANNEL_ID, "secret": CHANNEL_SECRET, "code": CHANNEL_CODE},
    }
    assert client_for(owner).patch("/api/integrations/kommo/settings", route, format="json").status_code == 200
    ArticleFactory(
        workspace=workspace,
        actor=owner,
        title="Delivery times",
        body="<p>We deliver orders within 3 business days across Brazil. Express delivery arrives the next day.</p>",
        indexed=True,
    )
    AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["api"], name="Site agent")
    with workspace_scope(workspace.pk):
        return KommoIntegration.objects.get()


def customer_writes(owner, text, message_id):
    response = client_for(owner).post(
        "/api/channels/api/messages",
        {
            "external_chat_id": "visitor-42",
            "external_message_id": message_id,
            "text": text,
            "customer_name": "Ana",
            "customer_handle": "ana@example.com",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_site_chat_is_mirrored_into_kommo_and_a_managers_answer_reaches_the_customer(
    wired, kommo, account, workspace, owner, customer_side
):
    customer_writes(owner, "How long does delivery take?", "site-1")
    with workspace_scope(workspace.pk):
        chat = eventually(lambda: KommoChat.objects.exclude(kommo_chat_id="").first(), what="the chat in Kommo")
    kommo_chat = account.chats[chat.kommo_chat_id]
    assert kommo_chat["origin"] == CHANNEL_CODE and kommo_chat["conversation_id"] == chat.conversation_key
    lead_id = kommo_chat["lead_id"]
    texts = lambda: [(m["type"], m["text"]) for m in account.messages if m["lead_id"] == lead_id]  # noqa: E731
    assert ("incoming", "How long does delivery take?") in texts()
    assert account.contacts[kommo_chat["contact_id"]]["name"] == "Ana"

    with workspace_scope(workspace.pk):
        conversation = eventually(
            lambda: Conversation.objects.filter(channel="api", external_lead_id=str(lead_id)).first(),
            what="our conversation linked to the lead",
        )
        assert conversation.pipeline_id == account.main_pipeline["id"]
        reply = eventually(lambda: Message.objects.filter(author="ai", status="sent").first(), what="the AI reply")
    assert "3 business days" in reply.text
    eventually(lambda: ("outgoing", reply.text) in texts(), what="the AI reply on the lead in Kommo")
    assert customer_side.wait_for(1)
    assert customer_side.received[0].json()["message"]["text"] == reply.text

    # A manager answers in Kommo, in the chat of our channel.
    sent = kommo.manager_writes_in_channel(account, chat.conversation_key, text="Hi Ana, Maria here. Express it is.")
    assert sent["hook_status"] == 200
    with workspace_scope(workspace.pk):
        human = eventually(
            lambda: Message.objects.filter(author="human", status="sent").first(), what="the manager's message sent"
        )
        assert human.text == "Hi Ana, Maria here. Express it is."
        conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.HUMAN and conversation.ai_paused_until
    assert customer_side.wait_for(2)
    delivered = customer_side.received[1].json()["message"]
    assert (delivered["author"], delivered["text"]) == ("human", "Hi Ana, Maria here. Express it is.")
    # Not copied back into Kommo, and the chat never became a conversation of a messenger of its own.
    assert [t for _, t in texts()].count("Hi Ana, Maria here. Express it is.") == 1
    assert kommo.wait_for_webhooks()
    with workspace_scope(workspace.pk):
        assert list(Conversation.objects.values_list("channel", flat=True)) == ["api"]

    # The customer writes again while a person has the conversation: mirrored, not answered by the AI.
    customer_writes(owner, "Great, thanks!", "site-2")
    eventually(lambda: ("incoming", "Great, thanks!") in texts(), what="the second message in Kommo")
    with workspace_scope(workspace.pk):
        eventually(lambda: Message.objects.filter(text="Great, thanks!", status="skipped").exists(), what="skip")
        assert Message.objects.filter(author="ai").count() == 1

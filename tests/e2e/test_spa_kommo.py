"""Kommo in real Chromium against the real server, a real worker and the local Kommo: an owner
connects Kommo from the Integrations page (the OAuth popup), watches the sync finish, chooses the
Salesbot, picks a pipeline stage in the agent editor; a customer writes on WhatsApp in Kommo and the
reply arrives in the inbox — and, through Salesbot, on the lead in Kommo. Screenshots of the page."""

from __future__ import annotations

import pytest
from django.conf import settings

from agent_platform.tenancy import workspace_scope
from agents.models import AgentPipeline
from integrations.kommo import services
from integrations.kommo.fakes import FakeKommo
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.conftest import client_for
from tests.e2e.conftest import log_in, screenshot
from tests.integrations.kommo.conftest import oauth_connect
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kommo(kommo_hub_port, spa_server):
    """A fresh local Kommo on the hub port the server knows, with our integration installed."""
    with FakeKommo(port=kommo_hub_port) as fake:
        account = fake.add_account(subdomain="acme", name="Acme Store")
        fake.add_integration(
            account,
            client_id=settings.KOMMO_CLIENT_ID,
            client_secret=settings.KOMMO_CLIENT_SECRET,
            redirect_uri=f"{spa_server}/api/integrations/kommo/callback",
            revoke_hook_url=f"{spa_server}/api/webhooks/kommo/revoked",
        )
        fake.demo_account = account
        yield fake


def test_connect_sync_pick_a_stage_and_answer_a_whatsapp_customer(
    open_context, spa_server, kommo, celery_worker_process
):
    account = kommo.demo_account
    bot_id = kommo.add_salesbot(
        account,
        name="AI replies",
        widget_request_url=f"{spa_server}/api/webhooks/kommo/salesbot",
        data={"lead_id": "{{lead.id}}", "chat_id": "{{chat.id}}"},
        client_id=settings.KOMMO_CLIENT_ID,
    )
    owner = UserFactory(prefix="kommo-owner", verified=True)
    workspace = WorkspaceFactory(name="Acme Store", owner=owner)
    ArticleFactory(
        workspace=workspace,
        actor=owner,
        title="Delivery times",
        body="<p>We deliver orders within 3 business days across Brazil. Express delivery arrives the next day.</p>",
        indexed=True,
    )
    agent = AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"], name="Kommo agent")

    context, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/integrations")
    with context.expect_page() as consent:
        page.get_by_role("button", name="Connect Kommo").click()
    popup = consent.value
    popup.get_by_role("button", name="Allow").click()
    page.get_by_text("Kommo is connected").wait_for()
    page.get_by_text("Synced", exact=True).wait_for(timeout=30_000)
    page.get_by_label("Salesbot bot ID").fill(str(bot_id))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Set up the Salesbot in Kommo").wait_for()
    screenshot(page, "integrations-kommo-light-desktop")

    # The agent works in the Sales pipeline's "New inquiry" stage, picked from the synced data.
    page.goto(f"/agents/{agent.pk}")
    page.get_by_role("tab", name="Pipelines").click()
    page.get_by_role("checkbox", name="Sales").check()
    page.get_by_role("checkbox", name="New inquiry").check()
    page.get_by_role("button", name="Save").click()
    sales = account.main_pipeline
    new_inquiry = next(s for s in sales["_embedded"]["statuses"] if s["name"] == "New inquiry")

    def saved_stages():
        with workspace_scope(workspace.pk):
            return list(AgentPipeline.objects.filter(agent=agent).values_list("pipeline_id", "stage_ids"))

    page.wait_for_function("() => true")  # let the save land
    deadline_ok = False
    for _ in range(50):
        if saved_stages() == [(sales["id"], [new_inquiry["id"]])]:
            deadline_ok = True
            break
        page.wait_for_timeout(100)
    assert deadline_ok, saved_stages()

    # A customer writes on WhatsApp in Kommo: the reply shows in the inbox, and on the lead in Kommo.
    event = kommo.customer_writes(account, origin="whatsapp", text="How long does delivery take?", name="Ana Souza")
    page.goto("/conversations")
    page.get_by_text("Ana Souza").first.click()
    page.get_by_text("3 business days", exact=False).first.wait_for(timeout=45_000)
    bot_messages = [m for m in account.messages if m.get("lead_id") == event["lead_id"] and m["type"] == "outgoing"]
    for _ in range(100):
        if bot_messages:
            break
        page.wait_for_timeout(200)
        bot_messages = [m for m in account.messages if m.get("lead_id") == event["lead_id"] and m["type"] == "outgoing"]
    assert bot_messages and "3 business days" in bot_messages[0]["text"]
    screenshot(page, "conversation-kommo-whatsapp-light-desktop")


def test_choose_the_chats_api_and_a_managers_answer_in_kommo_reaches_the_inbox(
    open_context, spa_server, kommo, celery_worker_process
):
    """A business whose customers write on its own site: its channel's chats appear in Kommo, and a
    manager answering there is seen in our inbox (and carried to the customer)."""
    account = kommo.demo_account
    kommo.add_chat_channel(
        "site-channel-1",
        "site-channel-secret",
        f"{spa_server}/api/webhooks/kommo/chats/:scope_id",
        code="acme.site",
        client_id=settings.KOMMO_CLIENT_ID,
    )
    owner = UserFactory(prefix="chats-owner", verified=True)
    workspace = WorkspaceFactory(name="Acme Site", owner=owner)
    integration = oauth_connect(kommo, account, workspace, owner)
    with workspace_scope(workspace.pk):
        services.connection_setup(integration_id=integration.pk)
    AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["api"], name="Site agent")

    _, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/integrations")
    page.get_by_role("radio", name="Chats API").check()
    box = page.get_by_test_id("chats-channel")
    box.get_by_label("Channel ID").fill("site-channel-1")
    box.get_by_label("Channel secret").fill("site-channel-secret")
    box.get_by_label("Channel code").fill("acme.site")
    page.get_by_role("button", name="Save").click()
    box.get_by_text("Connected to the account").wait_for()
    box.get_by_text(f"site-channel-1_{account.amojo_id}").wait_for()
    screenshot(page, "integrations-kommo-chats-light-desktop")

    # A visitor writes on the site (the API channel): the chat appears in Kommo with a lead.
    response = client_for(owner).post(
        "/api/channels/api/messages",
        {"external_chat_id": "visitor-7", "external_message_id": "v7-1", "text": "Hello?", "customer_name": "Bia"},
        format="json",
    )
    assert response.status_code == 201
    for _ in range(100):
        chat = next((c for c in account.chats.values() if c.get("origin") == "acme.site"), None)
        if chat:
            break
        page.wait_for_timeout(200)
    assert chat, "the site chat never reached Kommo"

    # A manager answers in that chat in Kommo: it shows in our inbox.
    page.goto("/conversations")
    page.get_by_text("Bia").first.click()
    kommo.manager_writes_in_channel(account, chat["conversation_id"], text="Hi Bia, this is Maria from Acme.")
    page.get_by_text("Hi Bia, this is Maria from Acme.").wait_for(timeout=30_000)
    screenshot(page, "conversation-kommo-chats-light-desktop")

"""Update rules in real Chromium against the real server, a real worker and the local Kommo: a
customer writes on WhatsApp in Kommo, the AI turn writes the lead's Source field (an enum), the
conversation page shows the update (old → new, the customer's words), a teammate undoes it, and the
lead in Kommo has its old value back."""

from __future__ import annotations

import pytest
from django.conf import settings

from agent_platform.tenancy import workspace_scope
from agents.services import agent_config_replace, update_rule_create
from integrations.kommo import services
from integrations.kommo.fakes import FakeKommo
from integrations.kommo.models import KommoField
from tests.accounts.factories import MembershipFactory, UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.e2e.conftest import log_in, screenshot
from tests.integrations.kommo.conftest import oauth_connect

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


def wait(page, check, what: str, tries: int = 150):
    for _ in range(tries):
        if value := check():
            return value
        page.wait_for_timeout(200)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_customer_message_updates_the_lead_and_undo_puts_the_old_value_back(
    open_context, spa_server, kommo, celery_worker_process
):
    account = kommo.demo_account
    owner = UserFactory(prefix="rules-owner", verified=True)
    member = UserFactory(prefix="rules-member", verified=True)
    workspace = WorkspaceFactory(name="Acme Rules", owner=owner)
    MembershipFactory(workspace=workspace, user=member)  # a teammate of the inbox undoes it
    integration = oauth_connect(kommo, account, workspace, owner)
    with workspace_scope(workspace.pk):
        services.connection_setup(integration_id=integration.pk)  # webhooks and the fields' sync
        source = KommoField.objects.get(entity="leads", name="Source")
    options = {e["value"]: e["id"] for e in source.enums}
    agent = AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"], name="Rules agent")
    with workspace_scope(workspace.pk):
        update_rule_create(
            agent=agent,
            actor=owner,
            data={
                "name": "Lead source",
                "instruction": "Where the customer heard of us",
                "entity": "lead",
                "field_id": source.kommo_id,
                "field_type": source.type,
                "enum_options": source.enums,
                "overwrite": "always",
            },
        )
        agent_config_replace(
            agent=agent,
            actor=owner,
            section="crm_fields",
            items=[{"entity": "lead", "field_id": source.kommo_id, "field_name": "Source", "can_write": True}],
        )

    def lead_source(lead_id: int):
        with kommo.lock:
            fields = account.leads[lead_id].get("custom_fields_values") or []
        return next((f["values"][0]["enum_id"] for f in fields if f["field_id"] == source.kommo_id), None)

    _, page, _ = open_context()
    log_in(page, member.email)
    event = kommo.customer_writes(account, origin="whatsapp", text="Hi! I saw your website", name="Ana Souza")
    lead_id = int(event["lead_id"])
    wait(page, lambda: lead_source(lead_id) == options["Website"], "the first write")
    kommo.customer_writes(
        account, origin="whatsapp", text="Actually a friend sent me your Instagram", chat_id=event["chat_id"]
    )
    wait(page, lambda: lead_source(lead_id) == options["Instagram"], "the second write")

    page.goto("/conversations")
    page.get_by_text("Ana Souza").first.click()
    panel = page.get_by_test_id("field-writes")
    latest = panel.get_by_test_id("field-write").first
    latest.get_by_test_id("field-write-change").get_by_text("Instagram").wait_for(timeout=30_000)
    assert "Website" in latest.get_by_test_id("field-write-change").inner_text()
    assert "Instagram" in latest.inner_text() and "Written" in latest.inner_text()
    earlier = panel.get_by_test_id("field-write").nth(1)  # empty → Website, replaced by the latest
    assert "Website" in earlier.inner_text() and earlier.get_by_role("button", name="Undo").count() == 0
    page.get_by_role("button", name="Show trace").last.click()
    page.get_by_test_id("trace-steps").last.get_by_text("wrote Source = Instagram", exact=False).wait_for()
    screenshot(page, "conversation-field-writes-light-desktop")

    latest.get_by_role("button", name="Undo").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Website").wait_for()
    dialog.get_by_role("button", name="Undo").click()
    latest.get_by_text("Undone by").wait_for()
    assert latest.get_attribute("data-status") == "undone"
    wait(page, lambda: lead_source(lead_id) == options["Website"], "the undo in Kommo")
    screenshot(page, "conversation-field-writes-undone-light-desktop")

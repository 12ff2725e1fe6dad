"""The thread's side panel: the conversation's lead and contact as our Kommo snapshot knows them, and
who of the team signed a reply."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Conversation
from integrations.kommo.models import KommoEntity, KommoField, KommoPipeline
from tests.conversations.factories import CustomerMessageFactory
from tests.integrations.kommo.factories import KommoIntegrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kommo_conversation(workspace):
    KommoIntegrationFactory(workspace=workspace, base_domain="acme.kommo.com")
    now = timezone.now()
    with workspace_scope(workspace.pk):
        KommoPipeline.objects.create(
            workspace=workspace,
            kommo_id=77,
            name="Sales",
            statuses=[{"id": 701, "name": "Negotiation", "color": "#ffcc66"}],
            synced_at=now,
        )
        fields = [
            ("leads", 5001, "Budget", "", []),
            ("leads", 5002, "Interest", "", [{"id": 11, "value": "Sofas"}]),
            ("contacts", 6001, "Phone", "PHONE", []),
            ("contacts", 6002, "Email", "EMAIL", []),
        ]
        for entity, kommo_id, name, code, enums in fields:
            KommoField.objects.create(
                workspace=workspace, entity=entity, kommo_id=kommo_id, name=name, code=code, type="text",
                enums=enums, synced_at=now,
            )  # fmt: skip
        lead = {"name": "Sofa for Anna", "price": 1200, "pipeline_id": 77, "status_id": 701}
        lead["fields"] = {"5001": ["1500"], "5002": ["11"], "9999": ["unknown field"]}
        contact = {"name": "Anna Petrova", "fields": {"6001": ["+49 151 1", "+49 151 2"], "6002": ["a@example.com"]}}
        for entity, kommo_id, data in (("leads", 3001, lead), ("contacts", 4001, contact)):
            KommoEntity.objects.create(workspace=workspace, entity=entity, kommo_id=kommo_id, data=data, fetched_at=now)
        message = CustomerMessageFactory(workspace=workspace, channel="whatsapp")
        Conversation.objects.filter(pk=message.conversation_id).update(
            external_lead_id="3001", external_contact_id="4001"
        )
    return message.conversation_id


def test_the_detail_carries_the_lead_and_contact_from_the_snapshot(owner_client, kommo_conversation):
    crm = owner_client.get(f"/api/conversations/{kommo_conversation}").json()["crm"]
    assert crm["lead"] == {
        "id": 3001,
        "name": "Sofa for Anna",
        "url": "https://acme.kommo.com/leads/detail/3001",
        "known": True,
        "fields": [{"name": "Budget", "code": "", "value": "1500"}, {"name": "Interest", "code": "", "value": "Sofas"}],
        "phones": [],
        "emails": [],
        "price": 1200,
        "stage": {"pipeline": "Sales", "name": "Negotiation", "color": "#ffcc66"},
    }
    assert crm["contact"]["name"] == "Anna Petrova"
    assert crm["contact"]["phones"] == ["+49 151 1", "+49 151 2"]
    assert crm["contact"]["emails"] == ["a@example.com"]
    assert crm["contact"]["fields"] == []


def test_no_kommo_no_card(owner_client, workspace):
    message = CustomerMessageFactory(workspace=workspace)
    assert owner_client.get(f"/api/conversations/{message.conversation_id}").json()["crm"] is None


def test_a_lead_we_know_nothing_of_yet_still_links_to_kommo(owner_client, workspace):
    KommoIntegrationFactory(workspace=workspace)
    message = CustomerMessageFactory(workspace=workspace, channel="whatsapp")
    with workspace_scope(workspace.pk):
        Conversation.objects.filter(pk=message.conversation_id).update(external_lead_id="555")
    crm = owner_client.get(f"/api/conversations/{message.conversation_id}").json()["crm"]
    assert crm["lead"]["known"] is False and crm["lead"]["url"].endswith("/leads/detail/555")
    assert crm["contact"] is None


def test_a_teammates_reply_is_signed_with_their_name(owner_client, owner, workspace):
    owner.name = "Olga Owner"
    owner.save(update_fields=["name"])
    message = CustomerMessageFactory(workspace=workspace)
    with workspace_scope(workspace.pk):
        services.human_message_send(conversation=message.conversation, user=owner, text="Hello from a person")
    messages = owner_client.get(f"/api/conversations/{message.conversation_id}").json()["messages"]
    assert [(m["author"], m["author_name"]) for m in messages] == [("customer", None), ("human", "Olga Owner")]

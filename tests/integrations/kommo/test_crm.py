"""CRM data both ways, against the local Kommo: every writable field type mapped from our values is
accepted by Kommo and reads back; the fields an agent may read reach its prompt with their current
values (the trace says which), and a field it may not read never does."""

from datetime import date

import pytest

from agent_platform.tenancy import workspace_scope
from agents.services import agent_config_replace
from conversations import services as conversations
from conversations.models import Message
from conversations.services.prompt import build_prompt
from integrations.kommo.exceptions import FieldValueInvalid
from integrations.kommo.fields import FieldDefinition, field_value
from integrations.kommo.models import KommoField
from integrations.kommo.services import crm_context, sync_run
from integrations.kommo.services.crm import normalised_from_api
from integrations.kommo.services.tokens import client_for
from tests.agents.factories import AgentFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "Budget comment": ("Budget 5k", "Budget 5k"),
    "Units": ("1 200", "1200"),
    "Urgent": ("yes", "True"),
    "Source": ("WhatsApp", None),  # an enum option: reads back by its name
    "Interests": (["Pricing", "Demo"], None),
    "Customer type": ("VIP", None),
    "Follow-up date": (date(2026, 1, 15), "1768435200"),
    "Meeting at": ("2026-01-15T14:30:00+00:00", "1768487400"),
    "Landing page": ("acme.com/promo", "https://acme.com/promo"),
    "AI summary": ("Wants express delivery to Rio.", "Wants express delivery to Rio."),
    "Quoted price": ("R$ 5.000", "5000"),
    "Decision maker birthday": ("15.01.1980", "316742400"),
}


@pytest.fixture
def synced(connected):
    with workspace_scope(connected.workspace_id):
        sync_run(integration_id=connected.pk)
    return connected


def definition(field: KommoField) -> FieldDefinition:
    return FieldDefinition(type=field.type, id=field.kommo_id, code=field.code, name=field.name, enums=field.enums)


def test_every_writable_lead_field_type_is_accepted_and_reads_back(synced):
    with workspace_scope(synced.workspace_id):
        client = client_for(synced)
        lead = client.request("POST", "/api/v4/leads", json=[{"name": "Ana"}])["_embedded"]["leads"][0]
        fields = {f.name: f for f in KommoField.objects.filter(entity="leads")}
        items = [field_value(definition(fields[name]), value) for name, (value, _) in VALUES.items()]
        client.lead_update(lead["id"], {"custom_fields_values": items})
        stored, _ = normalised_from_api(client.lead(lead["id"]))
        with pytest.raises(FieldValueInvalid):  # a legal entity is refused before Kommo is asked
            field_value(definition(fields["Billing entity"]), {"name": "ACME"})
    for name, (value, expected) in VALUES.items():
        got = stored["fields"][str(fields[name].kommo_id)]
        if expected is None:  # enums: the options named
            assert set(got) == set(value if isinstance(value, list) else [value]), name
        else:
            assert got == [expected], name


def test_contact_phone_and_email(synced):
    with workspace_scope(synced.workspace_id):
        client = client_for(synced)
        contact = client.request("POST", "/api/v4/contacts", json=[{"name": "Ana"}])["_embedded"]["contacts"][0]
        phone = field_value(
            FieldDefinition(type="multitext", code="PHONE"), {"value": "+55 11 99999-0000", "enum_code": "MOB"}
        )
        email = field_value(FieldDefinition(type="multitext", code="EMAIL"), "ana@example.com")
        client.request("PATCH", f"/api/v4/contacts/{contact['id']}", json={"custom_fields_values": [phone, email]})
        values = {f["field_code"]: f["values"] for f in client.contact(contact["id"])["custom_fields_values"]}
    assert values["PHONE"][0]["value"] == "+55 11 99999-0000" and values["PHONE"][0]["enum_code"] == "MOB"
    assert values["EMAIL"][0]["value"] == "ana@example.com"


def test_readable_crm_fields_reach_the_prompt_and_the_trace(synced, kommo, account, workspace, owner):
    event = kommo.customer_writes(account, origin="whatsapp", text="Hi", name="Ana", phone="+5511900000000")
    with workspace_scope(workspace.pk):
        client = client_for(synced)
        fields = {f.name: f for f in KommoField.objects.filter(entity="leads")}
        client.lead_update(
            event["lead_id"],
            {
                "custom_fields_values": [
                    field_value(definition(fields["Budget comment"]), "Around 5k"),
                    field_value(definition(fields["Source"]), "Instagram"),
                    field_value(definition(fields["AI summary"]), "SECRET internal note"),
                ]
            },
        )
        agent = AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"])
        readable = [
            {
                "entity": "lead",
                "field_id": fields[name].kommo_id,
                "field_name": name,
                "can_read": True,
                "can_write": False,
            }
            for name in ("Budget comment", "Source")
        ]
        not_readable = {
            "entity": "lead",
            "field_id": fields["AI summary"].kommo_id,
            "can_read": False,
            "can_write": True,
        }
        agent_config_replace(agent=agent, actor=owner, section="crm_fields", items=[*readable, not_readable])
        context = crm_context(lead_id=str(event["lead_id"]), contact_id="", allowed=readable)
        assert context["fields"] == [
            {"entity": "lead", "name": "Budget comment", "value": "Around 5k"},
            {"entity": "lead", "name": "Source", "value": "Instagram"},  # the option's name, not its id
        ]
        assert context["source"] == {"lead": "api"}
        system = build_prompt(agent, None, [], set(), crm_fields=context["fields"])[0]["content"]
        assert "- Budget comment: Around 5k" in system and "SECRET" not in system

        message, _ = conversations.ingest_message(
            workspace=workspace,
            channel="whatsapp",
            external_chat_id=event["chat_id"],
            external_message_id="m-crm-1",
            text="What is my budget?",
            lead_id=str(event["lead_id"]),
        )
        reply = conversations.conversation_process(conversation_id=message.conversation_id)
        step = next(s for s in Message.objects.get(pk=reply.pk).trace if s["step"] == "crm")
        assert step["fields"] == ["lead: Budget comment", "lead: Source"]

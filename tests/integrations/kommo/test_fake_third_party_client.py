"""A third-party Kommo/amoCRM v4 client, unchanged, against the local Kommo: `aioamocrm` (pinned in
requirements-dev.txt) only configured with the account's base URL and the integration's credentials.
It checks our fake against someone else's reading of Kommo's protocol: OAuth code exchange and the
refresh after a 401, hal+json lists paged by `_links.next`, 204 for empty lists, pipelines, custom
fields, creating and updating leads, `validation-errors`, and its parser reading our webhook bodies."""

from __future__ import annotations

import asyncio

import pytest
from aioamocrm import AmoCRMClient, Lead, LongLivedToken, OAuth2, ValidationError, parse_webhook

from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver

CLIENT_ID = "c0ffee00-0000-4000-8000-00000000beef"
SECRET = "third-party-secret"
REDIRECT_URI = "http://127.0.0.1:9/callback"


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


@pytest.fixture
def kommo():
    # Kommo's real limit; the library is told to stay at 6 rps, as KOMMO.md recommends.
    with FakeKommo(rate_limit_rps=7) as fake:
        fake.account = fake.add_account(subdomain="acme", name="Acme")
        fake.add_integration(fake.account, client_id=CLIENT_ID, client_secret=SECRET, redirect_uri=REDIRECT_URI)
        yield fake


def test_the_library_works_the_account_through_oauth(kommo):
    account = kommo.account

    async def scenario():
        auth = OAuth2(CLIENT_ID, SECRET, REDIRECT_URI)
        async with AmoCRMClient(base_url=account.base_url, auth=auth, rate_limit=6) as amo:
            await amo.exchange_code(kommo.issue_code(account, CLIENT_ID))
            me = await amo.account.get(with_=["amojo_id"])
            assert (me.id, me.subdomain, me.amojo_id) == (account.id, "acme", account.amojo_id)

            assert [lead async for lead in amo.leads.iterate()] == []  # 204: an empty list

            pipelines = await amo.pipelines.list()
            main = next(p for p in pipelines if p.is_main)
            assert {142, 143} <= {s.id for s in main.statuses}
            statuses = await amo.pipelines.statuses(main.id)
            assert [s.id for s in statuses] == [s.id for s in main.statuses]

            lead_fields = [f async for f in amo.leads.custom_fields.iterate(limit=5)]  # several pages
            assert len(lead_fields) == len(account.custom_fields["leads"])
            source = next(f for f in lead_fields if f.name == "Source")
            whatsapp = source.enum_id("WhatsApp")
            assert whatsapp is not None
            contact_fields = [f async for f in amo.contacts.custom_fields.iterate()]
            assert any(f.code == "PHONE" and f.type == "multitext" for f in contact_fields)

            new = []
            for index in range(5):
                lead = Lead(name=f"Lead {index}", price=100 * index)
                lead.set_field(source.id, "WhatsApp", enum_id=whatsapp)
                new.append(lead)
            created = await amo.leads.create(new)
            ids = [ref.id for ref in created]
            assert len(ids) == 5 and all(ids)

            listed = [lead async for lead in amo.leads.iterate(limit=2)]  # 3 pages by _links.next
            assert [lead.id for lead in listed] == ids
            assert listed[1].field_value(source.id) == "WhatsApp"

            qualified = next(s for s in main.statuses if s.name == "Qualified")
            updated = await amo.leads.update([Lead(id=ids[0], status_id=qualified.id, price=999)])
            assert updated[0].id == ids[0] and updated[0].updated_at
            fetched = await amo.leads.get(ids[0])
            assert (fetched.status_id, fetched.price) == (qualified.id, 999)

            with pytest.raises(ValidationError) as refused:
                await amo.leads.update(
                    [{"id": ids[1], "custom_fields_values": [{"field_id": source.id, "values": [{"enum_id": 1}]}]}]
                )
            issue = refused.value.errors[0]
            assert (issue.request_id, issue.code, issue.path) == (
                "0",
                "NotSupportedChoice",
                "custom_fields_values.0.values.0.enum_id",
            )

            # Kommo expires the access token: the library refreshes once and goes on.
            spent_refresh = (await auth.storage.load()).refresh_token
            kommo.expire_access_tokens(account)
            users = [user async for user in amo.users.iterate()]
            assert len(users) == 2
            assert (await auth.storage.load()).refresh_token != spent_refresh
            assert kommo.tokens[spent_refresh].used

    asyncio.run(scenario())


def test_the_library_with_a_long_lived_token_and_contacts(kommo):
    account = kommo.account
    sent = kommo.customer_writes(account, origin="whatsapp", text="Hi", name="Ana", phone="+5511999990000")

    async def scenario():
        token = LongLivedToken(kommo.long_lived_token(account, CLIENT_ID))
        async with AmoCRMClient(base_url=account.base_url, auth=token, rate_limit=6) as amo:
            lead = await amo.leads.get(sent["lead_id"], with_=["contacts"])
            assert [c.id for c in lead.embedded.contacts] == [sent["contact_id"]]
            assert lead.embedded.contacts[0].is_main is True
            contact = await amo.contacts.get(sent["contact_id"])
            assert contact.field_value("PHONE", enum_code="MOB") == "+5511999990000"
            links = await amo.leads.links(sent["lead_id"])
            assert links[0].to_entity_id == sent["contact_id"]

    asyncio.run(scenario())


def test_the_library_parses_the_fakes_webhooks(kommo):
    with HookReceiver() as hooks:
        kommo.add_webhook(kommo.account, f"{hooks.url}/kommo", ["add_contact", "add_lead", "add_message"])
        sent = kommo.customer_writes(kommo.account, origin="telegram", text="Hola", name="Bo", phone="+34600000000")
        assert kommo.wait_for_webhooks()
        parsed = [parse_webhook(r.body) for r in hooks.received]
    assert all(w.subdomain == "acme" and w.account_id == kommo.account.id for w in parsed)
    events = [(e.entity, e.action, e.id) for w in parsed for e in w.events]
    assert events[:2] == [("contacts", "add", sent["contact_id"]), ("leads", "add", sent["lead_id"])]
    message = parsed[2].events[0]
    assert (message.entity, message.action) == ("message", "add")
    assert message.payload["text"] == "Hola" and message.payload["origin"] == "telegram"
    assert parsed[0].events[0].field_value("PHONE") == "+34600000000"

"""The local Stripe speaks Stripe's wire protocol as the real `stripe` library expects it: form bodies
with bracket keys, list objects with `has_more` and cursors, Stripe's error JSON, idempotency keys,
the API key; its state survives a restart (the demo); and `billing_stripe_setup` is idempotent."""

import json
import urllib.request

import pytest
import stripe
from django.core.management import call_command
from djstripe.models import WebhookEndpoint

from billing.fakes import FakeStripe, sign_payload
from billing.models import Plan

pytestmark = pytest.mark.django_db


def test_lists_page_with_has_more_and_starting_after(local_stripe):
    made = [stripe.Customer.create(name=f"C{n}", metadata={"n": str(n)}).id for n in range(5)]
    first = stripe.Customer.list(limit=2)
    assert first.object == "list" and first.has_more is True and len(first.data) == 2
    assert [c.id for c in stripe.Customer.list(limit=100).auto_paging_iter()] == list(reversed(made))
    assert stripe.Customer.retrieve(made[0]).metadata["n"] == "0"


def test_errors_are_stripe_s_json_and_the_library_raises_its_own_exceptions(local_stripe):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe.Price.retrieve("price_nope")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    assert missing.value.json_body["error"]["type"] == "invalid_request_error"
    with pytest.raises(stripe.InvalidRequestError) as bad:
        stripe.Price.create(product="prod_nope", unit_amount=100, currency="usd")
    assert bad.value.param == "product"
    with pytest.raises(stripe.AuthenticationError):
        stripe.Customer.list(api_key="sk_test_NotTheRightKey0000000000000")


def test_an_idempotency_key_replays_the_first_answer(local_stripe):
    first = stripe.Customer.create(name="Once", idempotency_key="workspace-1-customer")
    again = stripe.Customer.create(name="Once", idempotency_key="workspace-1-customer")
    assert first.id == again.id and len(local_stripe.objects["customer"]) == 1


def test_nested_form_fields_arrive_as_objects_and_lists(local_stripe):
    product = stripe.Product.create(name="Pro")
    price = stripe.Price.create(product=product.id, unit_amount=990, currency="usd", recurring={"interval": "month"})
    customer = stripe.Customer.create(name="W")
    session = stripe.checkout.Session.create(
        mode="subscription",
        customer=customer.id,
        line_items=[{"price": price.id, "quantity": 1}],
        success_url="http://x/ok",
        metadata={"workspace_id": "7"},
    )
    assert session.metadata["workspace_id"] == "7" and session.url.startswith(local_stripe.url + "/checkout/cs_test_")
    page = urllib.request.urlopen(session.url).read().decode()
    assert "Subscribe to Pro" in page and "9.90 USD" in page


def test_the_signature_is_stripe_s_scheme():
    header = sign_payload('{"id": "evt_1"}', "whsec_abc", timestamp=1700000000)
    event = stripe.Webhook.construct_event('{"id": "evt_1"}', header, "whsec_abc", tolerance=None)
    assert event.id == "evt_1" and header.startswith("t=1700000000,v1=")


def test_the_state_survives_a_restart(tmp_path, settings, monkeypatch):
    path = str(tmp_path / "stripe.json")
    first = FakeStripe(api_key=settings.STRIPE_SECRET_KEY, state_file=path).start()
    monkeypatch.setattr(stripe, "api_base", first.url)
    product = stripe.Product.create(name="Kept", api_key=settings.STRIPE_SECRET_KEY)
    first.stop()
    with open(path) as saved:
        assert json.load(saved)["objects"]["product"][product.id]["name"] == "Kept"
    again = FakeStripe(api_key=settings.STRIPE_SECRET_KEY, state_file=path).start()
    try:
        monkeypatch.setattr(stripe, "api_base", again.url)
        assert stripe.Product.retrieve(product.id, api_key=settings.STRIPE_SECRET_KEY).name == "Kept"
    finally:
        again.stop()


def test_the_setup_command_is_idempotent(local_stripe, capsys):
    call_command("billing_stripe_setup", webhook_url="http://testserver")
    call_command("billing_stripe_setup", webhook_url="http://testserver")
    out = capsys.readouterr().out
    assert "plan pro: product, price" in out and "plan pro: unchanged" in out
    assert WebhookEndpoint.objects.count() == 1 and len(local_stripe.objects["webhook_endpoint"]) == 1
    assert len(local_stripe.objects["price"]) == Plan.objects.filter(monthly_price__gt=0).count()
    local_stripe.objects["webhook_endpoint"].clear()  # the local Stripe lost it: registered again
    call_command("billing_stripe_setup", webhook_url="http://testserver")
    assert WebhookEndpoint.objects.count() == 1 and len(local_stripe.objects["webhook_endpoint"]) == 1

"""The local Stripe for billing tests: the real `stripe` library pointed at it, the paid plans synced to
it, this platform's webhook endpoint registered with it, and a helper that posts its queued events to
dj-stripe's endpoint through the test client, signed as Stripe signs them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import stripe
from djstripe.models import WebhookEndpoint

from billing.fakes import FakeStripe
from billing.services import plans_sync_to_stripe, webhook_endpoint_register


@pytest.fixture
def local_stripe(settings, monkeypatch):
    fake = FakeStripe(api_key=settings.STRIPE_SECRET_KEY).start()
    settings.STRIPE_API_BASE = fake.url
    monkeypatch.setattr(stripe, "api_base", fake.url)
    monkeypatch.setattr(stripe, "api_key", settings.STRIPE_SECRET_KEY)  # for the tests' own look-ups
    yield fake
    fake.stop()


@pytest.fixture
def stripe_ready(local_stripe, db):
    """Plans as Stripe prices and the webhook endpoint registered: the state `billing_stripe_setup` makes."""
    plans_sync_to_stripe()
    webhook_endpoint_register(url="http://testserver")
    return local_stripe


def webhook_path() -> str:
    return urlsplit(WebhookEndpoint.objects.get().url).path


def post_event(client, fake: FakeStripe, event: dict, **sign):
    payload, signature = fake.signed(event, **sign)
    return client.post(webhook_path(), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def deliver(client, fake: FakeStripe, events: list[dict] | None = None) -> list[dict]:
    """Post the events (default: everything queued) and check dj-stripe accepted each one."""
    events = fake.take_events() if events is None else events
    for event in events:
        response = post_event(client, fake, event)
        assert response.status_code == 200, (event["type"], response.status_code, response.content[:500])
    return events

"""Stripe's webhooks through dj-stripe's endpoint, from the local Stripe: the signature and its 300 s
tolerance, one processing per event (a replay changes nothing), events out of order converging to the
subscription Stripe has now, and a failed payment → grace period → AI replies paused → paid → resumed."""

import datetime as dt
import time

import pytest
import stripe
from django.test import Client
from django.utils import timezone
from djstripe.models import Event, WebhookEventTrigger

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from billing.exceptions import RepliesPaused
from billing.models import BillingAccount, Plan
from billing.selectors import plan_current
from billing.services import billing_grace_expire, quota_consume
from conversations.models import Message
from tests.billing.stripe_fixtures import deliver, post_event, webhook_path
from tests.billing.test_quota_processing import answer
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def checkout(owner, fake, plan="pro") -> str:
    """Subscribe and pay on the local checkout page; the events stay queued. The subscription's id."""
    url = client_for(owner).post("/api/billing/subscribe", {"plan": plan}, format="json").json()["url"]
    return fake.checkout_complete(url.rsplit("/", 1)[1])["subscription"]


def account(workspace) -> BillingAccount:
    with workspace_scope(workspace.pk):
        return BillingAccount.objects.get()


def test_a_bad_signature_or_a_stale_timestamp_is_rejected_and_changes_nothing(owner, workspace, stripe_ready):
    checkout(owner, stripe_ready)
    events = stripe_ready.take_events()
    client = Client()
    for event in events:
        assert post_event(client, stripe_ready, event, secret="whsec_not_the_endpoint_s").status_code == 400
        stale = int(time.time()) - 301
        assert post_event(client, stripe_ready, event, timestamp=stale).status_code == 400
    payload, signature = stripe_ready.signed(events[0])
    tampered = payload.replace('"livemode": false', '"livemode": true')
    response = client.post(
        webhook_path(), data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert Event.objects.count() == 0 and not WebhookEventTrigger.objects.filter(valid=True).exists()
    assert plan_current(workspace=workspace).code == "business"  # the tests' default: nothing happened
    fresh = int(time.time()) - 290  # within the tolerance
    for event in events:
        assert post_event(client, stripe_ready, event, timestamp=fresh).status_code == 200
    assert plan_current(workspace=workspace).code == "pro"


def test_a_replayed_event_has_no_effect(owner, workspace, stripe_ready):
    checkout(owner, stripe_ready, "pro")
    first = deliver(Client(), stripe_ready)
    client_for(owner).post("/api/billing/change-plan", {"plan": "starter"}, format="json")
    deliver(Client(), stripe_ready)
    assert plan_current(workspace=workspace).code == "starter"
    processed = Event.objects.count()
    created = next(e for e in first if e["type"] == "customer.subscription.created")  # it names "pro"
    assert post_event(Client(), stripe_ready, created).status_code == 200  # a new delivery, freshly signed
    assert Event.objects.count() == processed
    assert plan_current(workspace=workspace).code == "starter"


def test_events_out_of_order_end_in_stripe_s_current_state(owner, workspace, stripe_ready):
    sub = checkout(owner, stripe_ready, "pro")
    business = Plan.objects.get(code="business")
    item = stripe.Subscription.retrieve(sub)["items"]["data"][0]
    # The customer changes the plan and cancels in Stripe's portal before any webhook arrived.
    stripe.Subscription.modify(sub, items=[{"id": item.id, "price": business.stripe_price_id}])
    stripe.Subscription.modify(sub, cancel_at_period_end=True)
    events = stripe_ready.take_events()
    assert [e["type"] for e in events][:1] == ["customer.subscription.created"]
    deliver(Client(), stripe_ready, list(reversed(events)))  # the oldest ("pro", not cancelling) last
    state = client_for(owner).get("/api/billing/subscription").json()
    assert state["plan"] == "business" and state["status"] == "active" and state["cancel_at_period_end"] is True


def test_payment_failure_pauses_replies_after_the_grace_period_and_payment_resumes_them(
    owner, workspace, stripe_ready, make_agent, kb_article, settings
):
    kb_article()
    make_agent(fallback_message="A manager will answer you shortly.")
    sub = checkout(owner, stripe_ready, "pro")
    deliver(Client(), stripe_ready)
    before = timezone.now()
    stripe_ready.payment_fail(sub)
    deliver(Client(), stripe_ready)
    state = account(workspace)
    assert state.subscription_status == "past_due" and state.replies_paused_at is None
    grace = dt.timedelta(days=settings.BILLING_GRACE_DAYS)
    assert before + grace <= state.grace_until <= timezone.now() + grace
    with workspace_scope(workspace.pk):
        assert Notification.objects.filter(kind="billing_payment_failed").exists()
    _, reply = answer(workspace, "How long does delivery take?")
    assert reply.author == Message.Author.AI and "3 business days" in reply.text  # still answering in grace

    assert billing_grace_expire(now=state.grace_until - dt.timedelta(seconds=1)) == 0
    assert billing_grace_expire(now=state.grace_until) == 1
    assert billing_grace_expire(now=state.grace_until) == 0  # once
    body = client_for(owner).get("/api/billing/subscription").json()
    assert body["replies_paused"] is True and body["status"] == "past_due"
    with pytest.raises(RepliesPaused):
        quota_consume(workspace=workspace)
    second, blocked = answer(workspace, "And express delivery?", chat="chat-2")
    quota = next(s for s in blocked.trace if s["step"] == "quota")
    assert quota["decision"] == "blocked" and quota["code"] == "billing_past_due"
    assert blocked.text == "A manager will answer you shortly."
    assert second.status_reason.startswith("billing_past_due: ")
    with workspace_scope(workspace.pk):
        assert Notification.objects.filter(kind="billing_replies_paused").exists()

    stripe_ready.payment_recover(sub)
    deliver(Client(), stripe_ready)
    state = account(workspace)
    assert state.subscription_status == "active" and state.replies_paused_at is None and state.grace_until is None
    assert quota_consume(workspace=workspace) >= 1
    with workspace_scope(workspace.pk):
        assert Notification.objects.filter(kind="billing_replies_resumed").exists()
    assert client_for(owner).get("/api/billing/subscription").json()["replies_paused"] is False


def test_two_workspaces_subscriptions_and_invoices_stay_their_own(
    owner, workspace, other_workspace, stranger, stripe_ready
):
    ours = checkout(owner, stripe_ready, "pro")
    theirs = checkout(stranger, stripe_ready, "starter")
    deliver(Client(), stripe_ready)
    assert plan_current(workspace=workspace).code == "pro"
    assert plan_current(workspace=other_workspace).code == "starter"
    stripe_ready.payment_fail(theirs)
    deliver(Client(), stripe_ready)
    assert account(workspace).payment_failed_at is None and account(workspace).subscription_id == ours
    assert client_for(stranger).get("/api/billing/subscription").json()["status"] == "past_due"
    mine = client_for(owner).get("/api/billing/invoices").json()["invoices"]
    others = client_for(stranger).get("/api/billing/invoices").json()["invoices"]
    assert len(mine) == 1 and len(others) == 2 and not {i["id"] for i in mine} & {i["id"] for i in others}
    with workspace_scope(workspace.pk):
        assert not Notification.objects.filter(kind="billing_payment_failed").exists()

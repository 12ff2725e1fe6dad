"""Fault: Stripe's webhooks replayed under load. A subscription lives a while in the local Stripe
(checkout, a plan change, a failed payment, a recovery, a second failure); then the whole set of its
events is posted by 10 threads at once — each thread all of them, in an order of its own (some
shuffled, some newest first), each delivery freshly signed as Stripe signs it — over real HTTP to
dj-stripe's endpoint on the platform's web server (two uvicorn processes, as deployed).

Every delivery must be answered 2xx (no 500), each event processed once (one dj-stripe Event per
event id, no delivery recording an exception, each notification once), and the workspace must end
in the local Stripe's current state (plan, status, grace period)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import stripe
from djstripe.models import Event, WebhookEventTrigger

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from billing.models import BillingAccount, Plan
from billing.selectors import plan_current
from tests.billing.stripe_fixtures import webhook_path
from tests.conftest import client_for
from tests.faults.processes import WebServer

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 10


def subscription_history(owner, fake) -> tuple[str, list[dict]]:
    """Checkout on "pro", then "business", a failed payment, its recovery, a second failure: the
    subscription's id and every event Stripe emitted (oldest first)."""
    url = client_for(owner).post("/api/billing/subscribe", {"plan": "pro"}, format="json").json()["url"]
    sub = fake.checkout_complete(url.rsplit("/", 1)[1])["subscription"]
    item = stripe.Subscription.retrieve(sub)["items"]["data"][0]
    stripe.Subscription.modify(sub, items=[{"id": item.id, "price": Plan.objects.get(code="business").stripe_price_id}])
    fake.payment_fail(sub)
    fake.payment_recover(sub)
    fake.payment_fail(sub)
    return sub, fake.take_events()


def test_stripe_events_replayed_concurrently_are_processed_once_and_converge(
    owner,
    workspace,
    stripe_ready,
    env_for,
    tmp_path,
):
    sub, events = subscription_history(owner, stripe_ready)
    web = WebServer(env_for(STRIPE_API_BASE=stripe_ready.url), tmp_path / "web.log", workers=2).start()
    try:
        url = f"{web.url}{webhook_path()}"
        orders = []
        for n in range(THREADS):
            order = list(events)
            if n % 3 == 0:
                order.reverse()  # newest first
            elif n % 3 == 1:
                random.Random(n).shuffle(order)
            orders.append(order)
        statuses: Counter = Counter()
        lock, start = threading.Lock(), threading.Barrier(THREADS)

        def replay(order: list[dict]) -> None:
            session = requests.Session()
            start.wait()
            for event in order:
                payload, signature = stripe_ready.signed(event)
                headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
                try:
                    status = session.post(url, data=payload.encode(), headers=headers, timeout=30).status_code
                except requests.RequestException:
                    status = 0
                with lock:
                    statuses[status] += 1

        began = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(replay, orders))
        elapsed = time.monotonic() - began
    finally:
        web.stop()

    stripe_now = stripe.Subscription.retrieve(sub)
    with workspace_scope(workspace.pk):
        account = BillingAccount.objects.get()
        notifications = Counter(Notification.objects.filter(kind__startswith="billing_").values_list("kind", flat=True))
    triggers = WebhookEventTrigger.objects.all()
    failed = list(triggers.exclude(exception="").values_list("exception", flat=True))
    processed = Counter(Event.objects.values_list("id", flat=True))
    types = Counter(e["type"] for e in events)
    print(
        f"\n[faults] Stripe replays: {len(events)} events ({dict(types)}) × {THREADS} threads = "
        f"{sum(statuses.values())} deliveries in {elapsed:.1f} s; answers {dict(statuses)}; dj-stripe events "
        f"{len(processed)} (max {max(processed.values(), default=0)} per id); deliveries recorded {triggers.count()}, "
        f"with an exception {len(failed)} {Counter(failed)}; state: plan {plan_current(workspace=workspace).code}, "
        f"status {account.subscription_status} (Stripe: {stripe_now['status']}); notifications {dict(notifications)}"
    )
    assert set(statuses) <= {200}, statuses
    assert set(processed) == {e["id"] for e in events} and max(processed.values()) == 1
    assert triggers.count() == THREADS * len(events) and not failed
    assert plan_current(workspace=workspace).code == "business"
    assert account.subscription_id == sub and account.subscription_status == stripe_now["status"] == "past_due"
    assert account.grace_until is not None and account.replies_paused_at is None
    assert notifications["billing_payment_failed"] <= types["invoice.payment_failed"]

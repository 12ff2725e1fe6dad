"""Stripe against the local Stripe, through the real `stripe` library and dj-stripe: the plans synced,
subscribe through Checkout, the webhooks that make the plan active, invoices, the portal, and the
endpoints when Stripe is not configured."""

import pytest
import stripe
from django.test import Client
from djstripe.models import Price, Product

from agent_platform.tenancy import workspace_scope
from billing.models import BillingAccount, Plan
from billing.selectors import plan_current
from billing.services import plans_sync_to_stripe
from tests.billing.stripe_fixtures import deliver
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def subscribe(owner, fake, plan="pro"):
    """Subscribe through Checkout and the checkout page's Pay, and deliver Stripe's webhooks."""
    response = client_for(owner).post("/api/billing/subscribe", {"plan": plan}, format="json")
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    fake.checkout_complete(url.rsplit("/", 1)[1])
    return deliver(Client(), fake)


def test_plans_sync_to_stripe_products_and_prices_idempotently(local_stripe):
    first = plans_sync_to_stripe()
    assert set(first) == {"starter", "pro", "business"}  # free is never bought
    assert all(changed == {"product": True, "price": True} for changed in first.values())
    pro = Plan.objects.get(code="pro")
    price = stripe.Price.retrieve(pro.stripe_price_id)
    assert price.unit_amount == int(pro.monthly_price * 100) and price.recurring.interval == "month"
    assert Price.objects.filter(id=pro.stripe_price_id).exists() and Product.objects.count() == 3
    assert plans_sync_to_stripe() == {code: {"product": False, "price": False} for code in first}
    assert len(local_stripe.objects["price"]) == 3
    pro.monthly_price += 10
    pro.save()
    plans_sync_to_stripe()
    old = price.id
    pro.refresh_from_db()
    assert pro.stripe_price_id != old and not stripe.Price.retrieve(old).active
    assert stripe.Price.retrieve(pro.stripe_price_id).unit_amount == int(pro.monthly_price * 100)


def test_subscribe_checkout_then_webhooks_make_the_plan_active(owner, workspace, stripe_ready):
    assert plan_current(workspace=workspace).code == "business"  # the tests' default plan
    events = subscribe(owner, stripe_ready, "pro")
    assert {e["type"] for e in events} >= {"checkout.session.completed", "customer.subscription.created"}
    assert plan_current(workspace=workspace).code == "pro"
    body = client_for(owner).get("/api/billing/subscription").json()
    assert body["status"] == "active" and body["plan"] == "pro" and body["cancel_at_period_end"] is False
    assert body["current_period_end"] and body["replies_paused"] is False
    with workspace_scope(workspace.pk):
        account = BillingAccount.objects.get()
    customer = stripe.Customer.retrieve(account.stripe_customer_id)
    assert customer.metadata["workspace_id"] == str(workspace.pk) and customer.email == owner.email
    invoices = client_for(owner).get("/api/billing/invoices").json()["invoices"]
    assert len(invoices) == 1 and invoices[0]["status"] == "paid"
    assert invoices[0]["total"] == str(Plan.objects.get(code="pro").monthly_price)
    assert invoices[0]["invoice_pdf"].endswith(".pdf")

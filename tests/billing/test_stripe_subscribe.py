"""Stripe against the local Stripe, through the real `stripe` library and dj-stripe: the plans synced,
subscribe through Checkout, the webhooks that make the plan active, invoices, the portal, and the
endpoints when Stripe is not configured."""

import urllib.request
from decimal import Decimal

import pytest
import stripe
from django.test import Client
from djstripe.models import Customer, Price, Product

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


def subscription_id(workspace) -> str:
    with workspace_scope(workspace.pk):
        return BillingAccount.objects.get().subscription_id


def test_change_plan_previews_the_proration_and_applies_exactly_it(owner, workspace, stripe_ready):
    subscribe(owner, stripe_ready, "pro")
    client = client_for(owner)
    preview = client.post("/api/billing/change-plan", {"plan": "business", "preview": True}, format="json").json()
    sub = stripe.Subscription.retrieve(subscription_id(workspace))
    item = sub["items"]["data"][0]
    start, end = item["current_period_start"], item["current_period_end"]
    share = (end - preview["proration_date"]) / (end - start)
    pro, business = Plan.objects.get(code="pro"), Plan.objects.get(code="business")
    expected = round(float(business.monthly_price) * 100 * share) - round(float(pro.monthly_price) * 100 * share)
    assert preview["applied"] is False and Decimal(preview["amount_due"]) == Decimal(expected) / 100
    assert plan_current(workspace=workspace).code == "pro"  # a preview changes nothing

    applied = client.post(
        "/api/billing/change-plan",
        {"plan": "business", "proration_date": preview["proration_date"]},
        format="json",
    )
    assert applied.status_code == 200 and applied.json()["applied"] is True
    assert plan_current(workspace=workspace).code == "business"  # at once, before any webhook
    deliver(Client(), stripe_ready)  # the invoice.paid and customer.subscription.updated that followed
    assert plan_current(workspace=workspace).code == "business"
    invoices = client.get("/api/billing/invoices").json()["invoices"]
    assert [i["billing_reason"] for i in invoices] == ["subscription_update", "subscription_create"]
    assert invoices[0]["total"] == preview["amount_due"]


def test_cancel_at_period_end_then_resume_then_the_period_ends(owner, workspace, stripe_ready):
    subscribe(owner, stripe_ready, "starter")
    client = client_for(owner)
    body = client.post("/api/billing/cancel").json()
    assert body["cancel_at_period_end"] is True and body["cancel_at"] == body["current_period_end"]
    assert body["status"] == "active" and body["plan"] == "starter"  # the paid period is kept
    assert stripe.Subscription.retrieve(body["subscription_id"]).cancel_at_period_end is True
    body = client.post("/api/billing/resume").json()
    assert body["cancel_at_period_end"] is False and body["cancel_at"] is None
    client.post("/api/billing/cancel")
    stripe_ready.period_end(body["subscription_id"])
    deliver(Client(), stripe_ready)
    body = client.get("/api/billing/subscription").json()
    assert body["status"] == "canceled" and body["plan"] == "business"  # the default plan again
    assert client.post("/api/billing/resume").json()["code"] == "no_subscription"


def test_subscribing_twice_is_refused_and_free_plans_cannot_be_bought(owner, workspace, stripe_ready):
    subscribe(owner, stripe_ready, "pro")
    again = client_for(owner).post("/api/billing/subscribe", {"plan": "starter"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_subscribed"
    free = client_for(owner).post("/api/billing/subscribe", {"plan": "free"}, format="json")
    assert free.status_code == 400 and free.json()["code"] == "plan_not_purchasable"


def test_the_portal_link_is_the_workspace_customer_s(owner, workspace, stripe_ready):
    url = client_for(owner).post("/api/billing/portal").json()["url"]
    session_customer = next(iter(stripe_ready.objects["customer"]))
    with workspace_scope(workspace.pk):
        assert BillingAccount.objects.get().stripe_customer_id == session_customer
    assert url.startswith(stripe_ready.url + "/portal/bps_")
    page = urllib.request.urlopen(url).read().decode()
    assert "Return" in page and "http://testserver/billing" in page


def test_members_read_but_only_admins_write_and_outsiders_see_nothing(
    owner, member, workspace, other_workspace, stranger, stripe_ready
):
    subscribe(owner, stripe_ready, "pro")
    assert client_for(member).get("/api/billing/subscription").json()["status"] == "active"
    for path in ("subscribe", "change-plan", "cancel", "resume", "portal"):
        response = client_for(member).post(f"/api/billing/{path}", {"plan": "business"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "role_forbidden", path
    for path in ("subscription", "invoices"):
        assert client_for(stranger, workspace).get(f"/api/billing/{path}").status_code == 404
    assert client_for(stranger, workspace).post("/api/billing/cancel").status_code == 404
    theirs = client_for(stranger).get("/api/billing/subscription").json()
    assert theirs["status"] is None and theirs["subscription_id"] is None
    assert client_for(stranger).get("/api/billing/invoices").json()["invoices"] == []


def test_without_a_stripe_key_writes_answer_billing_not_configured(owner, workspace, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = client_for(owner).post("/api/billing/subscribe", {"plan": "pro"}, format="json")
    assert response.status_code == 503 and response.json()["code"] == "billing_not_configured"
    assert client_for(owner).get("/api/billing/subscription").json()["configured"] is False
    assert client_for(owner).get("/api/billing/invoices").json()["invoices"] == []


def test_a_customer_deleted_in_stripe_is_made_again_for_checkout_and_the_portal(owner, workspace, stripe_ready):
    """Someone deletes the workspace's customer in Stripe's dashboard (its subscription ends with it):
    subscribing again makes a new customer instead of failing on the old one, and so does the portal."""
    subscribe(owner, stripe_ready, "pro")
    with workspace_scope(workspace.pk):
        old = BillingAccount.objects.get().stripe_customer_id
    stripe.Customer.delete(old)
    deliver(Client(), stripe_ready)
    assert plan_current(workspace=workspace).code != "pro"

    subscribe(owner, stripe_ready, "starter")
    with workspace_scope(workspace.pk):
        account = BillingAccount.objects.get()
    assert account.stripe_customer_id not in (None, old)
    assert plan_current(workspace=workspace).code == "starter"
    assert Customer.objects.get(id=account.stripe_customer_id).subscriber_id == workspace.pk
    assert Customer.objects.get(id=old).subscriber_id is None

    stripe.Customer.delete(account.stripe_customer_id)
    deliver(Client(), stripe_ready)
    response = client_for(owner).post("/api/billing/portal", {"return_url": "http://testserver/billing"}, format="json")
    assert response.status_code == 200, response.content
    with workspace_scope(workspace.pk):
        assert BillingAccount.objects.get().stripe_customer_id not in (None, old, account.stripe_customer_id)

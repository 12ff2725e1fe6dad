"""Stripe through dj-stripe: the plans as Stripe products and prices, a customer per workspace, Checkout,
plan changes with proration, cancel/resume at period end and the customer portal.

Every call goes through the real `stripe` library (its API base is `settings.STRIPE_API_BASE`, the local
Stripe in tests and the demo). What Stripe answers is synced into dj-stripe's models and converged
into our state by `subscription_refresh` (billing.services.stripe_events), the same function the
webhooks call, so the page shows a change at once and a late webhook changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from djstripe import models as djstripe_models

from accounts.models import Workspace
from agent_platform.tenancy import workspace_scope
from billing.exceptions import (
    AlreadySubscribed,
    NoSubscription,
    PlanNotPurchasable,
)
from billing.models import BillingAccount, Plan
from billing.services.stripe_client import LIVE_STATUSES, api_key, stripe_call, stripe_configured
from billing.services.stripe_events import subscription_refresh

log = logging.getLogger(__name__)
T = TypeVar("T")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1)))


# -- plans --------------------------------------------------------------------------------------


def _retrieve(resource, object_id: str, key: str):
    """The object, or None when there is no id or Stripe no longer has it (deleted in the dashboard,
    another account): then it is made again."""
    if not object_id:
        return None
    try:
        return resource.retrieve(object_id, api_key=key)
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            return None
        raise


def plan_sync_to_stripe(*, plan: Plan) -> dict[str, bool]:
    """One paid plan as a Stripe product with a monthly price (idempotent: a run with nothing changed
    creates nothing; a new price replaces, and deactivates, the old one). Returns what changed."""
    key = api_key()
    changed = {"product": False, "price": False}
    with stripe_call("plan sync"):
        product = _retrieve(stripe.Product, plan.stripe_product_id, key)
        if product is not None:
            if product.name != plan.name or not product.active:
                product = stripe.Product.modify(product.id, name=plan.name, active=True, api_key=key)
                changed["product"] = True
        else:
            product = stripe.Product.create(
                name=plan.name,
                metadata={"plan_code": plan.code},
                api_key=key,
                idempotency_key=f"plan-{plan.code}-product-{plan.pk}",
            )
            changed["product"] = True
        djstripe_models.Product.sync_from_stripe_data(product, api_key=key)
        amount, currency = _cents(plan.monthly_price), plan.currency.lower()
        price = _retrieve(stripe.Price, plan.stripe_price_id, key)
        if price is None or price.unit_amount != amount or price.currency != currency or not price.active:
            new_price = stripe.Price.create(
                product=product.id,
                unit_amount=amount,
                currency=currency,
                recurring={"interval": "month"},
                metadata={"plan_code": plan.code},
                api_key=key,
            )
            if price is not None and price.active:
                price = stripe.Price.modify(price.id, active=False, api_key=key)
                djstripe_models.Price.sync_from_stripe_data(price, api_key=key)
            price = new_price
            changed["price"] = True
        djstripe_models.Price.sync_from_stripe_data(price, api_key=key)
    if changed["product"] or changed["price"] or plan.stripe_product_id != product.id:
        Plan.objects.filter(pk=plan.pk).update(stripe_product_id=product.id, stripe_price_id=price.id)
        plan.stripe_product_id, plan.stripe_price_id = product.id, price.id
    return changed


def plans_sync_to_stripe() -> dict[str, dict[str, bool]]:
    """Every paid plan (free ones are never bought) as Stripe products and prices."""
    return {plan.code: plan_sync_to_stripe(plan=plan) for plan in Plan.objects.filter(monthly_price__gt=0)}


def webhook_endpoint_register(*, url: str) -> djstripe_models.WebhookEndpoint:
    """Register this platform's webhook URL with Stripe (idempotent on the URL): the endpoint Stripe
    makes — and its signing secret — is stored by dj-stripe, whose view verifies each delivery."""
    key = api_key()
    for existing in djstripe_models.WebhookEndpoint.objects.filter(url__startswith=url.rstrip("/") + "/"):
        with stripe_call("webhook endpoint"):
            if _retrieve(stripe.WebhookEndpoint, existing.id, key) is not None:
                return existing
        existing.delete()  # Stripe no longer has it: register again
    endpoint = djstripe_models.WebhookEndpoint(djstripe_tolerance=settings.BILLING_WEBHOOK_TOLERANCE)
    full_url = f"{url.rstrip('/')}/stripe/webhook/{endpoint.djstripe_uuid}/"
    with stripe_call("webhook endpoint"):
        data = stripe.WebhookEndpoint.create(
            url=full_url,
            enabled_events=["*"],
            metadata={"djstripe_uuid": str(endpoint.djstripe_uuid)},
            api_key=key,
        )
    data = {**data.to_dict(), "djstripe_tolerance": settings.BILLING_WEBHOOK_TOLERANCE}
    return djstripe_models.WebhookEndpoint.sync_from_stripe_data(data, api_key=key)


# -- the workspace's customer --------------------------------------------------------------------


def billing_account(workspace: Workspace) -> BillingAccount:
    with workspace_scope(workspace.pk):
        row, _ = BillingAccount.objects.get_or_create(workspace=workspace)
    return row


def customer_ensure(*, workspace: Workspace, replacing: str = "") -> BillingAccount:
    """The workspace's Stripe customer (made once: the idempotency key is the workspace's). With
    `replacing`, that customer was deleted in Stripe (its dashboard, support): it is let go and a new
    one made, under a key of its own (Stripe would answer the first key with the deleted customer)."""
    key = api_key()
    account = billing_account(workspace)
    if replacing and account.stripe_customer_id == replacing:
        log.warning("stripe customer %s of workspace %s is gone: making a new one", replacing, workspace.pk)
        djstripe_models.Customer.objects.filter(id=replacing).update(subscriber=None, date_purged=timezone.now())
        with workspace_scope(workspace.pk):
            BillingAccount.objects.filter(pk=account.pk).update(stripe_customer_id=None)
        account.stripe_customer_id = None
    if account.stripe_customer_id:
        return account
    with stripe_call("customer"):
        data = stripe.Customer.create(
            name=workspace.name,
            email=workspace.email or None,
            metadata={"workspace_id": str(workspace.pk), "djstripe_subscriber": str(workspace.pk)},
            api_key=key,
            idempotency_key=f"workspace-{workspace.pk}-customer" + (f"-after-{replacing}" if replacing else ""),
        )
        customer = djstripe_models.Customer.sync_from_stripe_data(data, api_key=key)
    customer.subscriber = workspace
    customer.save(update_fields=["subscriber"])
    with workspace_scope(workspace.pk):
        BillingAccount.objects.filter(pk=account.pk).update(stripe_customer_id=data.id)
    account.stripe_customer_id = data.id
    return account


def _with_customer(workspace: Workspace, action: str, call: Callable[[str], T]) -> T:
    """`call(customer_id)` for the workspace's customer; one deleted in Stripe is made again, once."""
    account = customer_ensure(workspace=workspace)
    with stripe_call(action):
        try:
            return call(account.stripe_customer_id)
        except stripe.InvalidRequestError as exc:
            if exc.code != "resource_missing" or exc.param != "customer":
                raise
    account = customer_ensure(workspace=workspace, replacing=account.stripe_customer_id)
    with stripe_call(action):
        return call(account.stripe_customer_id)


def _purchasable(code: str) -> Plan:
    plan = Plan.objects.filter(code=code, is_public=True, monthly_price__gt=0).exclude(stripe_price_id="").first()
    if plan is None:
        raise PlanNotPurchasable(errors={"plan": [f"“{code}” cannot be bought."]})
    return plan


def _live_subscription(account: BillingAccount) -> stripe.Subscription | None:
    if not account.subscription_id:
        return None
    with stripe_call("subscription"):
        sub = stripe.Subscription.retrieve(account.subscription_id, api_key=api_key())
    return sub if sub.status in LIVE_STATUSES else None


def checkout_start(*, workspace: Workspace, plan_code: str, success_url: str, cancel_url: str) -> str:
    """A Checkout Session for the plan: the URL the browser goes to. The subscription it makes reaches
    us by webhook (checkout.session.completed, customer.subscription.created)."""
    api_key()  # not configured: say so before anything else
    plan = _purchasable(plan_code)
    if _live_subscription(customer_ensure(workspace=workspace)) is not None:
        raise AlreadySubscribed()
    session = _with_customer(
        workspace,
        "checkout",
        lambda customer: stripe.checkout.Session.create(
            mode="subscription",
            customer=customer,
            client_reference_id=str(workspace.pk),
            line_items=[{"price": plan.stripe_price_id, "quantity": 1}],
            success_url=success_url,
            cancel_url=cancel_url,
            metadata={"workspace_id": str(workspace.pk), "plan_code": plan.code},
            subscription_data={"metadata": {"workspace_id": str(workspace.pk)}},
            api_key=api_key(),
        ),
    )
    return session.url


def _require_subscription(workspace: Workspace) -> stripe.Subscription:
    sub = _live_subscription(billing_account(workspace))
    if sub is None:
        raise NoSubscription()
    return sub


def plan_change(*, workspace: Workspace, plan_code: str, preview: bool, proration_date: int | None = None) -> dict:
    """Move the subscription to another plan, prorated and invoiced now. With `preview`, only what it
    would cost (Stripe's invoice preview); pass its `proration_date` back to apply exactly that."""
    key = api_key()
    plan = _purchasable(plan_code)
    sub = _require_subscription(workspace)
    item = sub["items"]["data"][0]
    proration_date = proration_date or int(time.time())
    with stripe_call("plan change"):
        if preview:
            invoice = stripe.Invoice.create_preview(
                customer=sub.customer,
                subscription=sub.id,
                subscription_details={
                    "items": [{"id": item.id, "price": plan.stripe_price_id}],
                    "proration_behavior": "always_invoice",
                    "proration_date": proration_date,
                },
                api_key=key,
            )
            return {
                "plan": plan.code,
                "amount_due": Decimal(invoice.amount_due) / 100,
                "currency": invoice.currency.upper(),
                "proration_date": proration_date,
                "applied": False,
            }
        updated = stripe.Subscription.modify(
            sub.id,
            items=[{"id": item.id, "price": plan.stripe_price_id}],
            proration_behavior="always_invoice",
            proration_date=proration_date,
            api_key=key,
        )
    subscription_refresh(subscription_id=updated.id)
    return {
        "plan": plan.code,
        "amount_due": None,
        "currency": plan.currency,
        "proration_date": proration_date,
        "applied": True,
    }


def subscription_cancel(*, workspace: Workspace, resume: bool = False) -> None:
    """Cancel at the end of the paid period (the plan stays until then), or take that back."""
    api_key()
    sub = _require_subscription(workspace)
    with stripe_call("cancel"):
        stripe.Subscription.modify(sub.id, cancel_at_period_end=not resume, api_key=api_key())
    subscription_refresh(subscription_id=sub.id)


def portal_session(*, workspace: Workspace, return_url: str) -> str:
    """Stripe's customer portal (payment method, billing details) for the workspace's customer."""
    session = _with_customer(
        workspace,
        "portal",
        lambda customer: stripe.billing_portal.Session.create(
            customer=customer, return_url=return_url, api_key=api_key()
        ),
    )
    return session.url


def customer_invoices_sync(*, workspace: Workspace) -> None:
    """Fetch the customer's invoices into dj-stripe (the invoice list reads those)."""
    account = billing_account(workspace)
    if not account.stripe_customer_id or not stripe_configured():
        return
    key = api_key()
    with stripe_call("invoices"), transaction.atomic():
        for invoice in stripe.Invoice.list(
            customer=account.stripe_customer_id, limit=100, api_key=key
        ).auto_paging_iter():
            djstripe_models.Invoice.sync_from_stripe_data(invoice, api_key=key)

"""Stripe's webhooks, after dj-stripe verified the signature (its endpoint, 300 s tolerance) and stored
the event (an event id is processed once: a replay changes nothing), and the payment grace period.

Events can arrive late and in any order, so none is trusted for state: each one names a subscription,
and `subscription_refresh` fetches that subscription from Stripe and converges our state to it — the
plan (the price's `billing.Plan`, through `workspace_plan_set`), the status, and the grace period:
past_due starts it (a notification says when replies pause), `billing_grace_expire` (beat) pauses
AI replies when it ends, and a paid invoice (the subscription active again) resumes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

import stripe
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from djstripe import models as djstripe_models
from djstripe import signals as djstripe_signals
from djstripe.signals import WEBHOOK_SIGNALS

from accounts.services import notify
from agent_platform.tenancy import entry_point_scope, workspace_scope
from billing.models import BillingAccount, Plan, WorkspacePlan
from billing.services.quotas import plan_usage_changed, workspace_plan_set
from billing.services.stripe_client import LIVE_STATUSES, api_key, stripe_call

log = logging.getLogger(__name__)
HANDLED_EVENTS = (
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
)
PAST_DUE = ("past_due", "unpaid")
GOOD_STANDING = ("active", "trialing")


def stripe_event_handlers_connect() -> None:
    """Called from BillingConfig.ready(): after dj-stripe's own handlers (which sync its models)."""
    for name in HANDLED_EVENTS:
        WEBHOOK_SIGNALS[name].connect(stripe_event_handle, dispatch_uid=f"billing-{name}")
    djstripe_signals.webhook_pre_validate.connect(stripe_delivery_serialize, dispatch_uid="billing-serialize")


def stripe_delivery_serialize(sender, instance, **kwargs) -> None:
    """One customer's webhook deliveries are processed one at a time. dj-stripe processes a delivery in
    one transaction (this signal opens it): it syncs its copies of the event's objects (invoice,
    subscription…), then our handler locks the workspace's billing row; two deliveries for one
    customer (a replay, a retry, two events at once) lock those rows in different orders and
    PostgreSQL kills one as a deadlock (a 500). A transaction-scoped advisory lock on the customer,
    taken first, orders them. The body is not verified yet: a forged one only waits its turn."""
    try:
        obj = (json.loads(instance.body or "{}").get("data") or {}).get("object") or {}
        customer = obj.get("id") if obj.get("object") == "customer" else obj.get("customer")
    except (ValueError, AttributeError):
        customer = None
    key = customer if isinstance(customer, str) else ""
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])


def _subscription_of(obj: dict) -> str | None:
    kind = obj.get("object")
    if kind == "subscription":
        return obj.get("id")
    if kind == "invoice":
        parent = (obj.get("parent") or {}).get("subscription_details") or {}
        sub = obj.get("subscription") or parent.get("subscription")
        return sub if isinstance(sub, str) else (sub or {}).get("id")
    if kind == "checkout.session":
        return obj.get("subscription")
    return None


def stripe_event_handle(sender, event, **kwargs) -> None:
    """A verified, first-seen event: converge to the subscription it names, as Stripe has it now."""
    obj = event.data.get("object") or {}
    subscription_id = _subscription_of(obj)
    customer = obj.get("customer")
    if subscription_id:
        subscription_refresh(
            subscription_id=subscription_id, customer_id=customer if isinstance(customer, str) else None
        )


def _price_plan(price: dict) -> Plan | None:
    plan = Plan.objects.filter(stripe_price_id=price["id"]).first()
    code = (price.get("metadata") or {}).get("plan_code")
    return plan or (Plan.objects.filter(code=code).first() if code else None)


def subscription_refresh(*, subscription_id: str, customer_id: str | None = None) -> BillingAccount | None:
    """Fetch the subscription from Stripe, sync dj-stripe's copy, and converge the workspace to it. The
    fetch happens under the workspace's billing-row lock, so of two concurrent webhooks the one that
    writes last also fetched last: the newest state wins."""
    key = api_key()
    if customer_id is None:
        with stripe_call("subscription"):
            customer_id = _customer_of(stripe.Subscription.retrieve(subscription_id, api_key=key))
    with entry_point_scope(BillingAccount, stripe_customer_id=customer_id) as account:
        if account is None:
            log.warning("stripe subscription %s of an unknown customer %s", subscription_id, customer_id)
            return None
        with transaction.atomic():
            account = BillingAccount.objects.select_for_update().select_related("workspace").get(pk=account.pk)
            with stripe_call("subscription"):
                data = stripe.Subscription.retrieve(subscription_id, api_key=key)
                latest = data.latest_invoice
                latest = latest if isinstance(latest, str) else getattr(latest, "id", None)
                invoice = stripe.Invoice.retrieve(latest, api_key=key) if latest else None
            if _customer_of(data) != customer_id:
                log.warning("stripe subscription %s is not customer %s's", subscription_id, customer_id)
                return None
            djstripe_models.Subscription.sync_from_stripe_data(data, api_key=key)
            if invoice is not None:  # its latest invoice too: the list shows it whichever event came first
                djstripe_models.Invoice.sync_from_stripe_data(invoice, api_key=key)
            return _converge(account, data.to_dict())


def _customer_of(subscription) -> str:
    customer = subscription.customer
    return customer if isinstance(customer, str) else customer.id


def _converge(account: BillingAccount, sub: dict) -> BillingAccount:
    """Our state from the subscription as Stripe has it (the caller holds the account's row lock)."""
    current = account.subscription_id
    older = current and current != sub["id"] and account.subscription_status in LIVE_STATUSES
    if older and sub["status"] not in LIVE_STATUSES:
        return account  # an older, ended subscription: the live one decides
    workspace = account.workspace
    status = sub["status"]
    account.subscription_id, account.subscription_status = sub["id"], status
    plan = _price_plan(sub["items"]["data"][0]["price"])
    if status in LIVE_STATUSES and status != "incomplete" and plan is not None:
        row = WorkspacePlan.objects.filter(workspace=workspace).first()
        if row is None or row.plan_id != plan.pk:
            workspace_plan_set(workspace=workspace, plan=plan)
    elif status in ("canceled", "incomplete_expired"):
        WorkspacePlan.objects.filter(workspace=workspace).delete()  # back on the default plan
        plan_usage_changed(workspace.pk)
    now = timezone.now()
    if status in PAST_DUE and account.payment_failed_at is None:
        account.payment_failed_at = now
        account.grace_until = now + dt.timedelta(days=settings.BILLING_GRACE_DAYS)
        _notify(
            account,
            "billing_payment_failed",
            "The subscription's payment failed",
            f"Update the payment method before {account.grace_until:%Y-%m-%d %H:%M} UTC, or AI replies pause then.",
        )
    elif status not in PAST_DUE and account.payment_failed_at is not None:
        was_paused = account.replies_paused_at is not None
        account.payment_failed_at = account.grace_until = account.replies_paused_at = None
        if was_paused:
            _notify(
                account,
                "billing_replies_resumed",
                "AI replies resumed",
                "The payment went through: the agents answer again.",
            )
            plan_usage_changed(workspace.pk)
    account.save()
    return account


def _notify(account: BillingAccount, kind: str, title: str, body: str) -> None:
    notify(
        workspace=account.workspace,
        kind=kind,
        title=title,
        body=body,
        payload={"subscription": account.subscription_id, "status": account.subscription_status},
    )


def billing_grace_expire(*, now: dt.datetime | None = None) -> int:
    """Pause AI replies of every workspace whose payment grace period ended (beat); how many."""
    now = now or timezone.now()
    due = BillingAccount.objects.unscoped_across_workspaces().filter(
        grace_until__lte=now, replies_paused_at__isnull=True
    )
    paused = 0
    for account_pk, workspace_id in due.values_list("pk", "workspace_id"):
        with workspace_scope(workspace_id), transaction.atomic():
            account = (
                BillingAccount.objects.select_for_update()
                .select_related("workspace")
                .filter(pk=account_pk, grace_until__lte=now, replies_paused_at__isnull=True)
                .first()
            )
            if account is None:
                continue
            account.replies_paused_at = now
            account.save(update_fields=["replies_paused_at", "updated_at"])
            plan_usage_changed(workspace_id)
            _notify(
                account,
                "billing_replies_paused",
                "AI replies are paused",
                "The subscription's payment is still failing: pay the open invoice to resume them.",
            )
            paused += 1
    return paused

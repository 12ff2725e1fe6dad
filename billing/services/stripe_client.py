"""The `stripe` library as billing uses it: configured or not, the key and API base, and Stripe's
errors as one problem."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import stripe
from django.conf import settings

from billing.exceptions import BillingNotConfigured, StripeFailed

log = logging.getLogger(__name__)
# Statuses in which a subscription is the workspace's (a new Checkout would make a second one).
LIVE_STATUSES = ("active", "trialing", "past_due", "unpaid", "incomplete")


def stripe_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def api_key() -> str:
    if not stripe_configured():
        raise BillingNotConfigured("Set STRIPE_SECRET_KEY (and STRIPE_API_BASE for the local Stripe).")
    if settings.STRIPE_API_BASE and stripe.api_base != settings.STRIPE_API_BASE:
        stripe.api_base = settings.STRIPE_API_BASE
    return settings.STRIPE_SECRET_KEY


@contextmanager
def stripe_call(action: str):
    """Stripe's errors become one problem (502 `stripe_failed`) with Stripe's own message."""
    try:
        yield
    except stripe.StripeError as exc:
        log.warning("stripe %s failed: %s", action, exc.user_message or exc)
        raise StripeFailed(f"Stripe: {exc.user_message or exc}", stripe_code=exc.code or "") from exc

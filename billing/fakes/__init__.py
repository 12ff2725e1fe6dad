"""The local Stripe: `FakeStripe` speaks Stripe's REST wire protocol for what the platform uses, so the
real `stripe` library (and dj-stripe's sync) point at it through `stripe.api_base`. Tests and the
offline demo share it (`python -m billing.fakes`)."""

from billing.fakes.fake import FakeStripe, sign_payload

__all__ = ["FakeStripe", "sign_payload"]

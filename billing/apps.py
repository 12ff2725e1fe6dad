from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self) -> None:
        import stripe  # noqa: PLC0415 (dj-stripe has imported it already; here for the API base)
        from django.conf import settings  # noqa: PLC0415 (read when the app is ready)

        from accounts.services import invitation_check_register  # noqa: PLC0415 (models load after the registry)
        from billing.services import seat_quota_check, stripe_event_handlers_connect  # noqa: PLC0415 (same)

        invitation_check_register(seat_quota_check)
        stripe_event_handlers_connect()
        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE  # the local Stripe (billing.fakes)

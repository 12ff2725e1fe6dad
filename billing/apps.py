from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"

    def ready(self) -> None:
        from accounts.services import invitation_check_register  # noqa: PLC0415 (models load after the registry)
        from billing.services import seat_quota_check  # noqa: PLC0415 (same)

        invitation_check_register(seat_quota_check)

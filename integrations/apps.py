from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"

    def ready(self) -> None:
        # Selectors import models, which may only load once the app registry is ready.
        from billing.dashboard.selectors import attention_source_register  # noqa: PLC0415
        from billing.selectors import usage_counter_register  # noqa: PLC0415
        from billing.types import QuotaMetric  # noqa: PLC0415
        from integrations.kommo.selectors import kommo_attention, kommo_channel_count  # noqa: PLC0415

        usage_counter_register(QuotaMetric.CHANNELS, kommo_channel_count)
        attention_source_register(kommo_attention)

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from billing.selectors import usage_counter_register  # noqa: PLC0415 (models load after the app registry)
        from billing.types import QuotaMetric  # noqa: PLC0415 (same)
        from knowledge.selectors import kb_storage_mb  # noqa: PLC0415 (same)

        usage_counter_register(QuotaMetric.KB_STORAGE_MB, kb_storage_mb)

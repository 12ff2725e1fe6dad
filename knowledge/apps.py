from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from billing.dashboard.selectors import attention_source_register  # noqa: PLC0415 (models load after the app registry)
        from billing.selectors import usage_counter_register  # noqa: PLC0415 (same)
        from billing.types import QuotaMetric  # noqa: PLC0415 (same)
        from knowledge.selectors import kb_storage_mb, knowledge_attention  # noqa: PLC0415 (same)

        usage_counter_register(QuotaMetric.KB_STORAGE_MB, kb_storage_mb)
        attention_source_register(knowledge_attention)

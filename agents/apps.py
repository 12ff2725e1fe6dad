from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "agents"

    def ready(self) -> None:
        from agents.selectors import agent_count  # noqa: PLC0415 (models load after the app registry)
        from billing.selectors import usage_counter_register  # noqa: PLC0415 (same)
        from billing.types import QuotaMetric  # noqa: PLC0415 (same)

        usage_counter_register(QuotaMetric.AGENTS, agent_count)

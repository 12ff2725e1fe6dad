from django.apps import AppConfig


class AgentPlatformConfig(AppConfig):
    name = "agent_platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from agent_platform import metrics  # noqa: PLC0415 (it reads models: after the app registry)

        metrics.register()

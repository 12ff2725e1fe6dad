from django.apps import AppConfig


class AutomationsConfig(AppConfig):
    name = "automations"

    def ready(self) -> None:
        # Services import models, which may only load once the app registry is ready.
        from automations.selectors import automations_attention  # noqa: PLC0415
        from automations.services import AutomationEngine  # noqa: PLC0415
        from billing.dashboard.selectors import attention_source_register  # noqa: PLC0415
        from conversations.services import automation_hooks_install  # noqa: PLC0415

        automation_hooks_install(AutomationEngine())
        attention_source_register(automations_attention)

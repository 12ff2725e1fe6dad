from django.apps import AppConfig

from agent_platform import realtime


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self) -> None:
        # Selectors import models, which may only load once the app registry is ready.
        from conversations.selectors import conversation_exists  # noqa: PLC0415

        realtime.subscription_kind_register(
            "conversation", lambda conversation_id: conversation_exists(conversation_id=conversation_id)
        )

from django.apps import AppConfig

from agent_platform import realtime
from integrations.channels import ConversationLinked, DeliveryReport, InboundMessage, LeadMoved, on_channel_event


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self) -> None:
        # Selectors and services import models, which may only load once the app registry is ready.
        from conversations.selectors import conversation_exists  # noqa: PLC0415
        from conversations.services import channel_events  # noqa: PLC0415

        on_channel_event(InboundMessage, channel_events.inbound_message)
        on_channel_event(LeadMoved, channel_events.lead_moved)
        on_channel_event(DeliveryReport, channel_events.delivery_report)
        on_channel_event(ConversationLinked, channel_events.conversation_linked)
        realtime.subscription_kind_register(
            "conversation", lambda conversation_id: conversation_exists(conversation_id=conversation_id)
        )

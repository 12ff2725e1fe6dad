from django.apps import AppConfig

from agent_platform import realtime
from integrations.channels import ConversationLinked, DeliveryReport, InboundMessage, LeadMoved, on_channel_event


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self) -> None:
        # Selectors and services import models, which may only load once the app registry is ready.
        from billing.dashboard.selectors import attention_source_register, live_counter_register  # noqa: PLC0415
        from billing.selectors import usage_counter_register  # noqa: PLC0415
        from billing.types import QuotaMetric  # noqa: PLC0415
        from conversations import selectors  # noqa: PLC0415
        from conversations.selectors import conversation_exists  # noqa: PLC0415
        from conversations.services import channel_events  # noqa: PLC0415

        on_channel_event(InboundMessage, channel_events.inbound_message)
        on_channel_event(LeadMoved, channel_events.lead_moved)
        on_channel_event(DeliveryReport, channel_events.delivery_report)
        on_channel_event(ConversationLinked, channel_events.conversation_linked)
        realtime.subscription_kind_register(
            "conversation", lambda conversation_id: conversation_exists(conversation_id=conversation_id)
        )
        usage_counter_register(QuotaMetric.CHANNELS, selectors.api_channel_count)
        live_counter_register("pending_approvals", selectors.pending_approvals_count)
        live_counter_register("open_handoffs", selectors.open_handoffs_count)
        attention_source_register(selectors.conversations_attention)

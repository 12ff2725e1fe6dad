"""The automations engine at the message processor's hook points (conversations.types): each hook
hands the conversation to the engines that act on it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from automations.models import Chain
from automations.services.chains import chain_start, chains_stop_on
from automations.services.evaluation import triggers_on_messages
from automations.services.silence import silence_timers_set
from automations.services.update_rules import update_rules_apply
from conversations.types import AutomationHooks, TriggerOutcome

if TYPE_CHECKING:
    from agents.models import Agent
    from conversations.models import Conversation, Message

logger = logging.getLogger(__name__)

# conversation_changed's changes → the chains' stop conditions
_STOPS = {
    "human_took_over": Chain.StopOn.HUMAN_TOOK_OVER,
    "closed": Chain.StopOn.CONVERSATION_CLOSED,
    "stage_changed": Chain.StopOn.STAGE_CHANGED,
}


class AutomationEngine(AutomationHooks):
    """Installed from `AutomationsConfig.ready()`. A hook an engine does not override keeps the base's
    answer ("not installed" in the reply's trace)."""

    def customer_wrote(self, *, conversation: Conversation, message: Message) -> None:
        chains_stop_on(conversation=conversation, event=Chain.StopOn.CUSTOMER_REPLIED)
        silence_timers_set(conversation=conversation)

    def customer_messages(self, *, conversation: Conversation, agent: Agent, messages: list[Message]) -> TriggerOutcome:
        return triggers_on_messages(conversation=conversation, agent=agent, messages=messages)

    def conversation_changed(self, *, conversation: Conversation, change: str) -> None:
        if change in _STOPS:
            chains_stop_on(conversation=conversation, event=_STOPS[change])
        if change == "stage_changed" and conversation.stage_id:
            chains = Chain.objects.filter(
                is_active=True,
                start_on=Chain.StartOn.STAGE,
                start_stage_id=conversation.stage_id,
            ).filter(Q(start_pipeline_id__isnull=True) | Q(start_pipeline_id=conversation.pipeline_id))
            for chain in chains:
                chain_start(chain=chain, conversation=conversation, started_by="stage")

    def reply_sent(self, *, conversation: Conversation, message: Message) -> dict[str, Any]:
        chains = Chain.objects.filter(is_active=True, start_on=Chain.StartOn.AI_REPLY).filter(
            Q(agent__isnull=True) | Q(agent_id=conversation.agent_id)
        )
        started = [
            run.chain_id
            for chain in chains
            if (run := chain_start(chain=chain, conversation=conversation, started_by="ai_reply")) is not None
        ]
        return {"started": started, "engine": "chains"}

    def ai_turn(self, *, conversation: Conversation, agent: Agent, reply: Message) -> dict[str, Any]:
        # The update rules never fail the reply: whatever breaks is logged and shown in its trace.
        try:
            return update_rules_apply(conversation=conversation, agent=agent, reply=reply)
        except Exception as exc:
            logger.exception("update rules failed", extra={"conversation_id": conversation.pk, "message_id": reply.pk})
            detail = getattr(exc, "detail", "") or type(exc).__name__
            return {"applied": [], "skipped": [], "failed": [{"error": f"The update rules did not run: {detail}"}]}

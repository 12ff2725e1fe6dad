"""Plain values of the conversations app that other apps name: the hook points the automations engines
plug into (SPEC §4.2–4.4).

Automations sits above conversations (it sends messages, pauses the AI, reads history), so the
processor does not import it: the automations app installs its engine from `AppConfig.ready()` with
`conversations.services.automation_hooks_install`, the same inversion as the channel events. Until an
engine is installed, every hook does nothing and says so in the reply's trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.models import Agent
    from conversations.models import Conversation, Message


@dataclass
class TriggerOutcome:
    """What the triggers did with a turn's customer messages; `stop_reply` asks the processor not to
    answer this turn (a fired trigger with "if triggered, return")."""

    evaluated: int = 0
    fired: list[dict[str, Any]] = field(default_factory=list)
    stop_reply: bool = False
    engine: str = "installed"

    def trace(self) -> dict[str, Any]:
        return {"evaluated": self.evaluated, "fired": self.fired, "stop_reply": self.stop_reply, "engine": self.engine}


class AutomationHooks:
    """The processor's hook points. The automations engine subclasses this and overrides each method;
    this base is what runs when no engine is installed."""

    def customer_wrote(self, *, conversation: Conversation, message: Message) -> None:
        """A customer's message was stored (once; in the ingest's transaction), whether or not the AI
        will answer it: stop the chains that stop when the customer replies, move the "silent for N
        minutes" checks."""

    def customer_messages(self, *, conversation: Conversation, agent: Agent, messages: list[Message]) -> TriggerOutcome:
        """New customer messages are about to be answered by `agent`: evaluate the triggers."""
        return TriggerOutcome(engine="not installed")

    def ai_turn(self, *, conversation: Conversation, agent: Agent, reply: Message) -> dict[str, Any]:
        """The AI wrote a reply (not yet sent): extract the update rules' values and write them."""
        return {"applied": [], "engine": "not installed"}

    def reply_sent(self, *, conversation: Conversation, message: Message) -> dict[str, Any]:
        """An AI reply was delivered: start the chains that start after it."""
        return {"started": [], "engine": "not installed"}

    def conversation_changed(self, *, conversation: Conversation, change: str) -> None:
        """A human took over ("human_took_over"), the conversation was closed ("closed") or its lead
        moved ("stage_changed"): stop or start the chains that depend on it."""

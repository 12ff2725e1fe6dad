"""The playground: talk to one agent without any CRM, with switches that make a test possible at any
hour (working hours ignored) and without a reviewer (approval skipped). The switches travel on the
message and are honoured for playground conversations only: a real channel's messages always follow
the agent's settings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.db import transaction

from accounts.models import User
from conversations.models import Conversation, Message
from conversations.services.ingest import ingest_message
from integrations.channels import Channel


@dataclass(frozen=True)
class PlaygroundSwitches:
    ignore_working_hours: bool = False
    skip_approval: bool = False


@transaction.atomic
def playground_message(
    *,
    agent,
    user: User,
    text: str,
    conversation: Conversation | None = None,
    switches: PlaygroundSwitches | None = None,
) -> Message:
    """A message to an agent in the playground: no CRM, the agent is fixed by the conversation."""
    chat_id = conversation.external_chat_id if conversation else f"playground:{agent.pk}:{user.pk}:{uuid.uuid4().hex}"
    message, _ = ingest_message(
        workspace=agent.workspace,
        channel=Channel.PLAYGROUND,
        external_chat_id=chat_id,
        external_message_id=f"playground:{uuid.uuid4().hex}",
        text=text,
        customer_name=user.name or user.email,
        customer_handle=user.email,
        agent_id=agent.pk,
        created_by=user,
        metadata={"test": asdict(switches or PlaygroundSwitches())},
    )
    return message


def playground_switches(conversation: Conversation, messages: Sequence[Message]) -> PlaygroundSwitches:
    """The switches the latest of these messages was sent with; none outside the playground, whatever
    a message carries."""
    if conversation.channel != Channel.PLAYGROUND:
        return PlaygroundSwitches()
    test = next((m.metadata["test"] for m in reversed(messages) if "test" in (m.metadata or {})), {})
    return PlaygroundSwitches(
        ignore_working_hours=bool(test.get("ignore_working_hours")), skip_approval=bool(test.get("skip_approval"))
    )

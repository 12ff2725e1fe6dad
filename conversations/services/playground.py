"""The playground: talk to one agent without any CRM."""

from __future__ import annotations

import uuid

from django.db import transaction

from accounts.models import User
from conversations.models import Conversation, Message
from conversations.services.ingest import ingest_message
from integrations.channels import Channel


@transaction.atomic
def playground_message(*, agent, user: User, text: str, conversation: Conversation | None = None) -> Message:
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
    )
    return message

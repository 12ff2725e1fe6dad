"""Conversations and messages. A customer's message comes in through `ingest_message`, as a channel
delivers it; plain rows are for the states only a failure leaves behind (a reply a dead worker left
`processing`, a failed reply)."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation, Message
from conversations.services import ingest_message
from tests.accounts.factories import WorkspaceFactory


class CustomerMessageFactory(factory.Factory):
    """A customer's message delivered on a channel: filed in its chat's conversation (the chat's
    first message makes it) and queued for processing. A new chat unless `external_chat_id` is given."""

    class Meta:
        model = Message

    workspace = factory.SubFactory(WorkspaceFactory)
    channel = "api"
    external_chat_id = factory.Sequence(lambda n: f"chat-{n}")
    external_message_id = factory.Sequence(lambda n: f"message-{n}")
    text = "Hello"

    @classmethod
    def _create(cls, model_class, *args, workspace, **fields):
        with workspace_scope(workspace.pk):
            message, _ = ingest_message(workspace=workspace, **fields)
        return message


class _WorkspaceRowFactory(DjangoModelFactory):
    """A plain row of a workspace-owned model, saved inside its workspace's scope."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with workspace_scope(kwargs["workspace"].pk):
            return super()._create(model_class, *args, **kwargs)


class ConversationFactory(_WorkspaceRowFactory):
    """A conversation row with no messages yet."""

    class Meta:
        model = Conversation

    workspace = factory.SubFactory(WorkspaceFactory)
    channel = "api"
    external_chat_id = factory.Sequence(lambda n: f"chat-row-{n}")
    customer_name = "Ana"


class MessageFactory(_WorkspaceRowFactory):
    """A message row written directly into `conversation` (a received customer message unless told)."""

    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    workspace = factory.SelfAttribute("conversation.workspace")
    channel = factory.SelfAttribute("conversation.channel")
    direction = Message.Direction.IN
    author = Message.Author.CUSTOMER
    source_timestamp = factory.LazyFunction(timezone.now)
    status = Message.Status.RECEIVED


class AIReplyFactory(MessageFactory):
    """An AI reply row, as the processor starts one (`processing`)."""

    direction = Message.Direction.OUT
    author = Message.Author.AI
    status = Message.Status.PROCESSING

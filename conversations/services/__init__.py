"""Writes of the conversations app, one module per concern; other apps, the API and the tasks
import from here (`conversations.services`).

    ingest      a customer's message stored once, its processing scheduled
    processing  the message processor: messages → one AI reply with its trace (prompt: its prompt)
    approvals   replies held for a reviewer, and their timeout
    delivery    outgoing messages through their channel's adapter, retries, the retry action
    handoff     people in the conversation: write, take over, give back, close, read
    scheduling  due scheduled actions and the stuck-work sweeper (beat)
    api_channel the API channel's webhook and signing secret; playground: the playground's messages
    mirror      our own channels' conversations copied into the CRM's chats (Kommo's Chats API)
    messages    status changes and their realtime events, used by all of the above
    automated   messages an automation writes (a trigger's message, a chain's follow-up)
    hooks       the automations engine installed at the processor's hook points (conversations.types)
    grounding   the processor's knowledge step; unanswered: questions it could not ground, clustered
"""

from conversations.channels import webhook_signature
from conversations.services.api_channel import api_channel_configure, api_channel_rotate_secret
from conversations.services.approvals import reply_approval_timeout, reply_approve, reply_reject
from conversations.services.automated import automated_message_send
from conversations.services.delivery import MAX_SEND_ATTEMPTS, message_retry, message_send
from conversations.services.handoff import (
    conversation_close,
    conversation_handoff,
    conversation_mark_read,
    conversation_pause_ai,
    conversation_resume_ai,
    human_message_send,
)
from conversations.services.hooks import automation_hooks_install
from conversations.services.ingest import ingest_message
from conversations.services.mirror import message_mirror
from conversations.services.playground import PlaygroundSwitches, playground_message
from conversations.services.processing import conversation_process, reply_generate
from conversations.services.prompt import build_prompt, reply_citations
from conversations.services.scheduling import scheduled_action_run, scheduled_actions_claim, stuck_work_recover
from conversations.services.unanswered import (
    unanswered_cluster,
    unanswered_dismiss,
    unanswered_record,
    unanswered_resolve,
)

__all__ = [
    "MAX_SEND_ATTEMPTS",
    "PlaygroundSwitches",
    "api_channel_configure",
    "api_channel_rotate_secret",
    "automated_message_send",
    "automation_hooks_install",
    "build_prompt",
    "conversation_close",
    "conversation_handoff",
    "conversation_mark_read",
    "conversation_pause_ai",
    "conversation_process",
    "conversation_resume_ai",
    "human_message_send",
    "ingest_message",
    "message_mirror",
    "message_retry",
    "message_send",
    "playground_message",
    "reply_approval_timeout",
    "reply_approve",
    "reply_citations",
    "reply_generate",
    "reply_reject",
    "scheduled_action_run",
    "scheduled_actions_claim",
    "stuck_work_recover",
    "unanswered_cluster",
    "unanswered_dismiss",
    "unanswered_record",
    "unanswered_resolve",
    "webhook_signature",
]

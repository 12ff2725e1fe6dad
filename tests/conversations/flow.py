"""Driving a conversation through its services as the tasks do (plain function calls)."""

from agent_platform.tenancy import workspace_scope
from conversations import services


def ingest(workspace, text, *, chat="chat-1", mid=None, sent_at=None):
    with workspace_scope(workspace.pk):
        message, created = services.ingest_message(
            workspace=workspace,
            channel="api",
            external_chat_id=chat,
            external_message_id=mid or f"m-{text}-{chat}",
            text=text,
            sent_at=sent_at,
            customer_name="Ana",
        )
    return message, created


def process(workspace, conversation_id):
    with workspace_scope(workspace.pk):
        return services.conversation_process(conversation_id=conversation_id)


def run_due(workspace, *, at):
    with workspace_scope(workspace.pk):
        due = services.scheduled_actions_claim(now=at)
    for workspace_id, action_id in due:
        with workspace_scope(workspace_id):
            services.scheduled_action_run(action_id=action_id)
    return due

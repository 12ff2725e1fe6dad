from agent_platform.errors import Conflict


class MessageStateConflict(Conflict):
    code, title = "message_state_conflict", "The message is not in a state that allows this"


class MessageNotRetryable(Conflict):
    code, title = "message_not_retryable", "Only failed messages can be retried"


class ConversationClosed(Conflict):
    code, title = "conversation_closed", "The conversation is closed"

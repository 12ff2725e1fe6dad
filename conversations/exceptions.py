from agent_platform.errors import Conflict, DomainError


class MessageStateConflict(Conflict):
    code, title = "message_state_conflict", "The message is not in a state that allows this"


class MessageNotRetryable(Conflict):
    code, title = "message_not_retryable", "Only failed messages can be retried"


class ConversationClosed(Conflict):
    code, title = "conversation_closed", "The conversation is closed"


class UnansweredArticleMissing(DomainError):
    code, title = "unanswered_article_missing", "The article does not exist"

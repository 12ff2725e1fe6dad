"""Demo conversations, so a newcomer sees the inbox and approvals at once: a reply grounded in the
knowledge base with its citations, a reply held for approval, and a customer handed to a person (who
is then on the Statistics page's unanswered questions). Made by the real pipeline (ingest →
processing with the offline model), not written as rows."""

from __future__ import annotations

from accounts.models import User, Workspace
from agents.selectors import agent_named
from conversations.models import Conversation, UnansweredQuestion
from conversations.services import conversation_process, ingest_message, playground_message, unanswered_cluster
from integrations.channels import Channel
from knowledge.selectors import articles_unindexed
from knowledge.services import article_index_run

DEMO_CHAT_PREFIX = "demo-"
REVIEWED_AGENT = "Demo Support Desk"

CUSTOMERS = [
    ("demo-anna", "Anna Petrova", "anna@example.com", "Hi! How long does delivery take to my city?"),
    ("demo-max", "Max Keller", "+49 151 2345678", "This is the third time I write. I want to talk to a manager."),
]


def seed(*, workspace: Workspace, user: User) -> None:
    if Conversation.objects.filter(external_chat_id__startswith=DEMO_CHAT_PREFIX).exists():
        return
    # The seed runs before any worker: the knowledge base is indexed here, so the reply can cite it.
    for article_id in articles_unindexed():
        article_index_run(article_id=article_id)
    for chat_id, name, handle, text in CUSTOMERS:
        message, _ = ingest_message(
            workspace=workspace,
            channel=Channel.API,
            external_chat_id=chat_id,
            external_message_id=f"{chat_id}-1",
            text=text,
            customer_name=name,
            customer_handle=handle,
        )
        conversation_process(conversation_id=message.conversation_id)
    reviewed = agent_named(REVIEWED_AGENT)
    if reviewed is not None:
        question = playground_message(agent=reviewed, user=user, text="Can I return an unused item and get a refund?")
        conversation_process(conversation_id=question.conversation_id)
    # The clustering tasks queued on commit find no worker yet: cluster here, as they would.
    for question_id in UnansweredQuestion.objects.filter(cluster__isnull=True).values_list("pk", flat=True):
        unanswered_cluster(question_id=question_id)

"""The processor's knowledge step: the passages that ground a reply, and the turn recorded as an
unanswered question when none of them is highly relevant (the "low_score" signal of services/unanswered.py).

`knowledge.relevance` drops passages past its floors (an off-topic question retrieves nothing) and
marks each kept one "high" or "medium"; a turn with no "high" passage is one the knowledge base did
not answer well, whatever the model then wrote — unless it was small talk (no question mark and
fewer than four words), which no knowledge base answers.
"""

from __future__ import annotations

from conversations.models import Conversation, Message, UnansweredQuestion
from conversations.services.unanswered import unanswered_record
from integrations.ai.types import Passage
from knowledge.selectors import retrieve

KNOWLEDGE_TOKEN_BUDGET = 1500
KNOWLEDGE_CHUNKS = 5
MIN_WORDS = 4


def knowledge_retrieve(
    conversation: Conversation, category_ids: list[int], query: str, pending: list[Message]
) -> list[Passage]:
    """Knowledge passages for the question, within the agent's categories (all when none is set)."""
    if not query.strip():
        return []
    passages = retrieve(
        workspace=conversation.workspace,
        query=query,
        category_ids=category_ids or None,
        k=KNOWLEDGE_CHUNKS,
        token_budget=KNOWLEDGE_TOKEN_BUDGET,
    )
    if not any(p.relevance == "high" for p in passages) and asks_something(query):  # knowledge.relevance's HIGH
        unanswered_record(conversation=conversation, messages=pending, reason=UnansweredQuestion.Reason.LOW_SCORE)
    return passages


def asks_something(text: str) -> bool:
    """Whether a turn that found no knowledge may be a question the knowledge base lacks, not small
    talk ("hello", "thanks", "ok"), which never finds any: a question mark, or at least four words."""
    return "?" in text or "？" in text or len(text.split()) >= MIN_WORDS

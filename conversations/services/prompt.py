"""The prompt of an AI reply: the agent's instructions with the knowledge passages and the reply
language, then the conversation's recent messages within a token budget."""

from __future__ import annotations

from conversations.models import Conversation, Message
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import Passage

HISTORY_TOKEN_BUDGET = 2000
CRM_TOKEN_BUDGET = 400


def build_prompt(
    agent,
    conversation: Conversation,
    passages: list[Passage],
    exclude_ids: set[int],
    crm_fields: list[dict] | None = None,
) -> list[dict]:
    """System instructions with the knowledge, what the CRM says of the customer (the fields the agent
    may read) and the language, then the conversation within a token budget."""
    system = [agent.instructions.strip() or "You are a helpful assistant for this business."]
    if agent.language and agent.language != "auto":
        system.append(f"Always answer in the language with code {agent.language!r}.")
    else:
        system.append("Answer in the customer's language.")
    if passages:
        lines = [f"[{i}] {p.article_title}: {p.text}" for i, p in enumerate(passages, 1)]
        system.append(
            "Answer from this knowledge; cite passages as [n]. If it does not contain the answer, "
            "say so and offer a human.\n" + "\n".join(lines)
        )
    else:
        system.append("No knowledge-base passage matched: do not invent facts; offer to connect a human.")
    if crm_fields:
        lines, budget = [], CRM_TOKEN_BUDGET
        for field in crm_fields:
            line = f"- {field['name']}: {field['value']}"
            budget -= estimate_tokens(line)
            if budget < 0:
                break
            lines.append(line)
        system.append("What the CRM says about this customer (use it, do not recite it):\n" + "\n".join(lines))
    history: list[dict] = []
    budget = HISTORY_TOKEN_BUDGET
    recent = (
        Message.objects.filter(conversation=conversation)
        .exclude(pk__in=exclude_ids)
        .exclude(text="")
        .exclude(status__in=[Message.Status.REJECTED, Message.Status.FAILED, Message.Status.PENDING_APPROVAL])
        .order_by("-source_timestamp", "-id")[:50]
    )
    for message in recent:
        cost = max(1, estimate_tokens(message.text))
        if cost > budget:
            break
        budget -= cost
        if message.author == Message.Author.CUSTOMER:
            history.append({"role": "user", "content": message.text})
        elif message.author == Message.Author.HUMAN:
            history.append({"role": "assistant", "content": f"[a person from the team wrote] {message.text}"})
        else:
            history.append({"role": "assistant", "content": message.text})
    return [{"role": "system", "content": "\n\n".join(system)}, *reversed(history)]

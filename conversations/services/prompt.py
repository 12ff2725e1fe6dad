"""The prompt of an AI reply: the agent's instructions with the knowledge passages and the reply
language, then the conversation's recent messages within a token budget; and what the reply cited.

The passages are numbered and the model is asked to cite the ones it uses as [n]: those markers are
how we know which passages a reply used (a reply that used none — "I don't know" — cites none).
They mean nothing to a customer, so `reply_citations` takes them out of the text it sends.
"""

from __future__ import annotations

import re
from typing import Any

from conversations.models import Conversation, Message
from integrations.ai.selectors import model_ref
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import GenerationResult, Passage

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
        lines = [f"[{i}] {p.source_title}: {p.text}" for i, p in enumerate(passages, 1)]
        system.append(
            "Answer from this knowledge. After each sentence that uses a passage, put its number in "
            "square brackets, e.g. [2]; never cite a passage you did not use. If the knowledge does "
            "not contain the answer, say so, cite nothing, and offer a human.\n" + "\n".join(lines)
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


_MARKER = re.compile(r"[ \t]*\[(\d+(?:\s*,\s*\d+)*)\]")


def reply_citations(text: str, passages: list[Passage]) -> tuple[str, list[Passage]]:
    """The reply without its [n] markers, and the passages they cite (each once, in the order of
    first citation). A number no passage has is not a marker and stays in the text."""
    cited: dict[int, None] = {}

    def take(match: re.Match) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        if not all(1 <= n <= len(passages) for n in numbers):
            return match.group(0)
        cited.update(dict.fromkeys(numbers))
        return ""

    clean = _MARKER.sub(take, text)
    return clean.strip(), [passages[n - 1] for n in cited]


def reply_model_record(result: GenerationResult) -> dict[str, Any]:
    """Which model wrote the reply and which one it stood in for, and why: what the reply's bubble shows."""
    answered = model_ref(provider=result.provider, model_id=result.model)
    record: dict[str, Any] = {"provider": answered.provider, "model_id": answered.model_id, "name": answered.name}
    if result.substituted_for:
        provider, _, model_id = result.substituted_for.partition(":")
        chosen = model_ref(provider=provider, model_id=model_id)
        record["substituted_for"] = {"provider": provider, "model_id": model_id, "name": chosen.name}
        record["reason"] = result.substitution_reason
    return record

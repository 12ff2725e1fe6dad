"""An AI-written follow-up (a chain step of kind "ai"): the conversation's agent's model, grounded in the
conversation's history and the knowledge base, told what the business wants the follow-up to do.

The prompt is the reply's (conversations' build_prompt: instructions, passages, history), with the
step's instruction added as a note from the business, not from the customer. The offline model only
quotes passages: when it finds none for the instruction, the follow-up is the step's template, or a
short check-in in the customer's language, rather than its "I don't know"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agents.selectors import agent_config_get, agent_route
from automations.services.context import conversation_variables, template_render
from conversations.services import build_prompt, reply_citations
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest
from knowledge.selectors import retrieve

if TYPE_CHECKING:
    from agents.models import Agent
    from automations.models import Chain, ChainStep
    from conversations.models import Conversation

KNOWLEDGE_CHUNKS = 5
KNOWLEDGE_TOKEN_BUDGET = 1500

FOLLOWUP_RULES = (
    "The customer has not answered for a while. Write ONE short follow-up message to them now, in the "
    "language of the conversation, as the business: friendly, specific to what was discussed, no "
    "pressure, ending with an easy question. The LAST user message below is not from the customer: it "
    "is the business's instruction about what this follow-up should do. Do not mention that "
    "the message is automated."
)
CHECK_IN = {
    "en": "Hi{name}! Just following up on our conversation — is there anything else I can help you with?",
    "ru": "Здравствуйте{name}! Напоминаю о нашем разговоре — могу ещё чем-нибудь помочь?",
}
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


class NoAgent(Exception):
    """Nobody's model can write the follow-up: the chain names no agent and none answers here."""


def followup_write(*, conversation: Conversation, chain: Chain, step: ChainStep) -> str:
    """The follow-up's text (citation markers removed). Raises the AI layer's errors, or NoAgent."""
    agent = followup_agent(conversation, chain)
    config = agent_config_get(agent_id=agent.pk)
    history = build_prompt(agent, conversation, [], exclude_ids=set())[1:]
    last_customer = next((m["content"] for m in reversed(history) if m["role"] == "user"), "")
    query = f"{step.ai_instruction}\n{last_customer}".strip()
    passages = (
        retrieve(
            workspace=conversation.workspace,
            query=query,
            category_ids=config["knowledge_categories"] or None,
            k=KNOWLEDGE_CHUNKS,
            token_budget=KNOWLEDGE_TOKEN_BUDGET,
        )
        if query
        else []
    )
    messages = build_prompt(agent, conversation, passages, exclude_ids=set())
    messages[0]["content"] += "\n\n" + FOLLOWUP_RULES
    instruction = step.ai_instruction.strip() or "Check in and offer help."
    messages.append({"role": "user", "content": instruction})  # the rules say whose words these are
    fallback = f"{agent.fallback_model_provider}:{agent.fallback_model_id}" if agent.fallback_model_id else None
    result = generate(
        workspace=conversation.workspace,
        request=GenerationRequest(
            messages=messages,
            provider=agent.model_provider,
            model=agent.model_id,
            temperature=agent.temperature,
            max_tokens=agent.max_tokens,
            passages=passages,
        ),
        purpose="reply",
        agent_id=agent.pk,
        conversation_id=conversation.pk,
        fallback_model=fallback,
    )
    text, cited = reply_citations(result.text, passages)
    if result.provider == "offline" and not cited:  # the offline model's "I don't know": not a follow-up
        return _check_in(conversation, agent, step, last_customer)
    return text


def followup_agent(conversation: Conversation, chain: Chain) -> Agent:
    """The chain's agent, else the conversation's, else the one its channel and stage route to."""
    if chain.agent_id:
        return chain.agent
    if conversation.agent_id:
        return conversation.agent
    agent, _ = agent_route(
        channel=conversation.channel,
        pipeline_id=conversation.pipeline_id,
        stage_id=conversation.stage_id,
        assigned_agent_id=None,
    )
    if agent is None:
        raise NoAgent("No agent answers this conversation, and the chain names none.")
    return agent


def _check_in(conversation: Conversation, agent: Agent, step: ChainStep, last_customer: str) -> str:
    if step.template.strip():
        return template_render(step.template, conversation_variables(conversation, agent))
    name = f", {conversation.customer_name}" if conversation.customer_name else ""
    language = agent.language if agent.language in CHECK_IN else ("ru" if _CYRILLIC.search(last_customer) else "en")
    return CHECK_IN[language].format(name=name)

"""The offline provider's judge of plain-language trigger conditions: a word rule, honest about what it
matched, reached through the provider by the judge request's schema name."""

import json

import pytest

from integrations.ai.providers.offline_judge import JUDGE_SCHEMA_NAME, judge_request
from integrations.ai.providers.offline_provider import OfflineProvider
from integrations.ai.types import GenerationRequest

SCHEMA = {
    "type": "object",
    "properties": {"holds": {"type": "boolean"}, "confidence": {"type": "number"}, "reason": {"type": "string"}},
}


def ask(condition: str, *messages: str) -> dict:
    return judge_request(f"Condition: {condition}\n\nCustomer's messages (latest last):\n" + "\n".join(messages))


@pytest.mark.parametrize(
    ("condition", "message", "holds", "reason"),
    [
        ("the customer asks for a discount", "Do you have discounts?", True, "The messages mention “discounts”."),
        ("the customer asks for a discount", "Any coupon?", True, "The messages mention “coupon” (for “discount”)."),
        ("the customer wants to talk to a human", "Put me through to an operator", True, None),
        ("клиент просит скидку", "А скидка будет?", True, "The messages mention “скидка”."),
        (
            "the customer asks for a discount",
            "What time do you open?",
            False,
            "The messages do not mention “discount”.",
        ),
        # Half of the concepts is enough; fewer is not.
        ("asks about delivery to Lisbon", "How long is shipping?", True, None),
        ("asks about delivery price to Lisbon", "How long is shipping?", False, None),
    ],
)
def test_the_word_rule(condition, message, holds, reason):
    answer = ask(condition, message)
    assert answer["holds"] is holds
    assert 0.5 <= answer["confidence"] <= 1
    if reason:
        assert answer["reason"] == reason


def test_confidence_grows_with_the_share_of_concepts_found():
    partly = ask("asks about delivery to Lisbon", "Shipping?")
    fully = ask("asks about delivery to Lisbon", "Shipping to Lisbon?")
    assert partly["holds"] and fully["holds"] and fully["confidence"] > partly["confidence"]
    assert fully["confidence"] == 1.0


def test_a_condition_with_nothing_to_look_for_never_holds():
    assert ask("the customer asks", "anything at all") == {
        "holds": False,
        "confidence": 0.0,
        "reason": "The condition has no word to look for.",
    }


def test_the_provider_answers_a_judge_request_with_the_rule_and_other_schemas_by_extraction():
    content = "Condition: the customer asks for a refund\n\nCustomer's messages (latest last):\nI want my money back"
    judge = GenerationRequest(
        messages=[{"role": "user", "content": content}], json_schema=SCHEMA, json_schema_name=JUDGE_SCHEMA_NAME
    )
    result = OfflineProvider().generate(judge)
    assert result.parsed["holds"] is True and json.loads(result.text) == result.parsed
    other = GenerationRequest(messages=[{"role": "user", "content": content}], json_schema=SCHEMA)
    assert OfflineProvider().generate(other).parsed["holds"] is None  # extraction: no yes/no word

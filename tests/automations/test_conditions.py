"""The trigger condition format: checked on save with errors where they are, evaluated without eval,
the model asked only when the rest of a condition cannot decide."""

from __future__ import annotations

import pytest

from automations.conditions import FACTS as KNOWN_FACTS
from automations.conditions import Judgement, condition_errors, evaluate

FACTS = {
    "message.text": "Hi! Could I get a DISCOUNT on the sofa?",
    "message.language": "en",
    "conversation.channel": "whatsapp",
    "conversation.ai_replies": 3,
    "customer.silent_minutes": 125,
    "lead.pipeline_id": 77,
    "lead.stage_id": 701,
    "lead.tags": ["VIP", "sofa"],
    "lead.field": {5001: "1500", 5002: ["Sofas", "Beds"]},
    "time.weekday": 6,
    "time.local": "23:15",
}


def fact_test(fact, op, value=None, **extra):
    node = {"fact": fact, "op": op, **extra}
    if value is not None:
        node["value"] = value
    return node


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (fact_test("message.text", "contains", "discount"), True),  # case-insensitive
        (fact_test("message.text", "not_contains", "refund"), True),
        (fact_test("message.text", "matches", r"\bdis(count|coupon)\b"), True),
        (fact_test("message.language", "in", ["ru", "en"]), True),
        (fact_test("conversation.channel", "equals", "telegram"), False),
        (fact_test("conversation.ai_replies", "gte", 3), True),
        (fact_test("customer.silent_minutes", "between", [120, 180]), True),
        (fact_test("lead.stage_id", "not_in", [700, 702]), True),
        (fact_test("lead.tags", "includes", "vip"), True),
        (fact_test("lead.tags", "excludes", "blocked"), True),
        (fact_test("lead.field", "gt", 1000, field_id=5001), True),  # a number stored as text compares as a number
        (fact_test("lead.field", "equals", "beds", field_id=5002), True),  # a multiselect holds when one value does
        (fact_test("lead.field", "not_equals", "beds", field_id=5002), False),  # … and fails a negative test then
        (fact_test("lead.field", "is_empty", field_id=9999), True),  # a field the lead does not have
        (fact_test("lead.field", "gt", 10, field_id=9999), False),
        (fact_test("time.weekday", "in", [6, 7]), True),
        (fact_test("time.local", "between", ["22:00", "06:00"]), True),  # a window past midnight
        (fact_test("time.local", "between", ["09:00", "18:00"]), False),
        (fact_test("time.local", "before", "09:00"), False),
    ],
)
def test_each_structured_test(node, expected):
    assert condition_errors(node) == {}
    assert evaluate(node, FACTS).matched is expected


def test_groups_combine_and_say_why():
    condition = {
        "all": [
            fact_test("conversation.channel", "equals", "whatsapp"),
            {"any": [fact_test("lead.tags", "includes", "vip"), fact_test("lead.field", "gt", 5000, field_id=5001)]},
            {"not": fact_test("message.text", "contains", "refund")},
        ]
    }
    verdict = evaluate(condition, FACTS)
    assert verdict.matched is True
    assert verdict.why == [
        "conversation.channel equals 'whatsapp': yes",
        "lead.tags includes 'vip': yes",  # `any` stops at its first yes
        "message.text contains 'refund': no",
    ]


def test_the_model_is_asked_last_and_only_when_the_rest_cannot_decide():
    questions = []

    def judge(question):
        questions.append(question)
        return Judgement(answer=True, confidence=0.9, reason="asks for a lower price")

    asks = {"ai": "the customer asks for a discount", "min_confidence": 0.7}
    decided = {"all": [asks, fact_test("conversation.channel", "equals", "telegram")]}
    assert evaluate(decided, FACTS, judge).matched is False and questions == []

    undecided = {"all": [asks, fact_test("conversation.channel", "equals", "whatsapp")]}
    verdict = evaluate(undecided, FACTS, judge)
    assert verdict.matched is True and verdict.asked_ai == 1
    assert verdict.why[-1] == "“the customer asks for a discount”: yes (0.90, needs 0.70) — asks for a lower price"


def test_a_confident_enough_yes_is_needed():
    unsure = lambda question: Judgement(answer=True, confidence=0.55)  # noqa: E731
    assert evaluate({"ai": "asks for a discount"}, FACTS, unsure).matched is False  # default needs 0.6
    assert evaluate({"ai": "asks for a discount", "min_confidence": 0.5}, FACTS, unsure).matched is True
    assert evaluate({"ai": "asks for a discount"}, FACTS, None).matched is False  # no model: never holds


NOT_AN_OBJECT = "A condition is an object: a group (all, any, not) or a test (fact or ai)."
UNKNOWN_FACT = f"Unknown fact; one of {', '.join(sorted(KNOWN_FACTS))}."
LIST_OPS = "For lead.tags: one of excludes, includes, is_empty, is_not_empty."
BAD_REGEX = "Not a regular expression: missing ), unterminated subpattern at position 0."
CLOCK = "A time of day as HH:MM (24 h)."


@pytest.mark.parametrize(
    ("condition", "errors"),
    [
        ([], {"": [NOT_AN_OBJECT]}),
        ({"all": []}, {"all": ["A group needs a list of at least one condition."]}),
        ({"all": [{"fact": "message.text"}], "any": []}, {"": ["Give exactly one of all, any, not, fact or ai."]}),
        ({"any": [fact_test("lead.budget", "gt", 1)]}, {"any.0.fact": [UNKNOWN_FACT]}),
        ({"all": [{"not": fact_test("lead.tags", "gt", 1)}]}, {"all.0.not.op": [LIST_OPS]}),
        (fact_test("conversation.ai_replies", "gt", "three"), {"value": ["A number."]}),
        (fact_test("conversation.ai_replies", "gt", True), {"value": ["A number."]}),
        (fact_test("time.local", "between", ["9:00", "18:00"]), {"value": [CLOCK]}),
        (fact_test("customer.silent_minutes", "between", [1]), {"value": ["Two values: from and to."]}),
        (fact_test("lead.field", "equals", "x"), {"field_id": ["The CRM field's id."]}),
        (fact_test("message.text", "contains"), {"value": ["A value to compare with."]}),
        (fact_test("message.text", "matches", "(unclosed"), {"value": [BAD_REGEX]}),
        (
            {"ai": "  ", "min_confidence": 2},
            {"ai": ["Describe the condition in a sentence."], "min_confidence": ["A number from 0 to 1."]},
        ),
    ],
)
def test_a_condition_that_cannot_be_saved_says_where(condition, errors):
    assert condition_errors(condition) == errors


def test_patterns_that_backtrack_forever_are_refused_and_long_texts_are_cut():
    for pattern in ("(a+)+$", r"(\w*)*x", "(x{1,9}){2,}"):
        assert condition_errors(fact_test("message.text", "matches", pattern)) == {
            "value": ["A repeated group that repeats inside, like (a+)+, can take forever to match."]
        }
    # A pattern reads the first 4,000 characters of a message (a+b over a million a's would take
    # minutes); plain tests read it all.
    long_text = {"message.text": "a" * 1_000_000 + "discount"}
    assert evaluate(fact_test("message.text", "matches", "a+b"), long_text).matched is False
    assert evaluate(fact_test("message.text", "matches", "discount"), long_text).matched is False
    assert evaluate(fact_test("message.text", "contains", "discount"), long_text).matched is True


def test_size_and_depth_are_bounded():
    many = {"any": [fact_test("message.text", "contains", str(i)) for i in range(51)]}
    assert condition_errors(many) == {"": ["At most 50 tests in one condition."]}
    deep = fact_test("message.text", "contains", "x")
    for _ in range(8):
        deep = {"not": deep}
    assert "Groups nest at most 6 deep." in str(condition_errors(deep))

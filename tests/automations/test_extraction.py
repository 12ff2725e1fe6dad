"""The update rules' extraction answer: one strict JSON schema with a typed value per rule (null
when the conversation does not say), its confidence and the words it came from."""

from __future__ import annotations

import jsonschema
import pytest

from automations.extraction import RuleSpec, extraction_instructions, extraction_schema

RULES = [
    RuleSpec(1, "Budget", "The budget the customer names", "price"),
    RuleSpec(2, "Interest", "What they want to buy", "select", options=("Sofas", "Beds")),
    RuleSpec(3, "Rooms", "Rooms they furnish", "multiselect", options=("Living room", "Bedroom")),
    RuleSpec(4, "Wants a call", "Whether they asked to be called", "checkbox"),
    RuleSpec(5, "Delivery date", "When they want it delivered", "date"),
    RuleSpec(6, "Phone", "Their phone number", "multitext", field_code="PHONE"),
    RuleSpec(7, "Notes", "Anything else they asked for", "textarea"),
]


def answer(**values):
    return {
        f"rule_{rule.rule_id}": {"value": values.get(f"rule_{rule.rule_id}"), "confidence": 0.8, "evidence": ""}
        for rule in RULES
    }


def test_a_typed_answer_fits_and_not_found_is_null():
    schema = extraction_schema(RULES)
    jsonschema.validate(
        answer(
            rule_1=5000, rule_2="Sofas", rule_3=["Bedroom"], rule_4=True, rule_5="2026-12-20", rule_6="+491512345678"
        ),
        schema,
    )
    jsonschema.validate(answer(), schema)  # nothing said: every value null


@pytest.mark.parametrize(
    "wrong",
    [
        answer(rule_1="five thousand"),  # a number
        answer(rule_2="Chairs"),  # not one of the options
        answer(rule_3=["Kitchen"]),
        answer(rule_4="yes"),  # a boolean
        {**answer(), "rule_99": {"value": 1, "confidence": 1, "evidence": ""}},  # no such rule
        {key: {**item, "confidence": 1.5} for key, item in answer().items()},
    ],
)
def test_a_wrong_answer_does_not_fit(wrong):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, extraction_schema(RULES))


def test_the_schema_is_strict_as_structured_outputs_need():
    schema = extraction_schema(RULES)

    def strict(node):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
            for child in node["properties"].values():
                strict(child)

    strict(schema)


def test_the_instructions_name_each_rule_and_its_options():
    text = extraction_instructions(RULES)
    assert "- rule_2 — Interest: What they want to buy (one of: Sofas, Beds)" in text
    assert "never guess" in text

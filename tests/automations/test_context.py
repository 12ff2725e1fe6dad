"""Templates of automations' messages: a plain lookup of known variables, nothing else."""

from automations.services import template_render, template_variables_unknown

VARIABLES = {"customer_name": "Ana", "agent_name": "Sofia", "lead.budget": "5000", "lead.stage": "Qualified"}


def test_variables_are_replaced_case_and_space_insensitively():
    text = template_render(
        "Hi {customer_name}, {agent_name} here. Budget {Lead.Budget }, stage { lead.stage }.", VARIABLES
    )
    assert text == "Hi Ana, Sofia here. Budget 5000, stage Qualified."


def test_an_unknown_or_empty_variable_renders_as_nothing_and_no_expression_runs():
    assert template_render("{lead.color}|{__class__}|{customer_name.__class__}|{0}", VARIABLES) == "|||{0}"


def test_unknown_variables_are_reported_for_a_save():
    assert template_variables_unknown("Hi {customer_name} {lead.x} {contact.phone} {price} {foo.bar}") == [
        "price",
        "foo.bar",
    ]

"""The Triggers page in real Chromium against the real server: a trigger is built in the editor with a
nested structured condition (any of two words) AND a plain-language condition, assigned to an agent
on the offline model, with a message action; it is saved, tested against a customer's message (it
holds, the offline judge's reason shown), and the test is in its log. The list shows it with a
one-line summary of its condition; the editor reads on a phone too."""

from __future__ import annotations

import re

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import Trigger, TriggerLog
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
AI_CONDITION = "the customer asks for a discount"
REPLY = "Two items get 10% off, {customer_name}."


@pytest.fixture
def agent():
    """An owner's agent answering on the offline model (its judge decides plain-language conditions)."""
    owner = UserFactory(prefix="triggers", verified=True)
    workspace = WorkspaceFactory(name="Trigger Shop", owner=owner)
    return AgentFactory(workspace=workspace, actor=owner, answering=True, name="Support")


def build_trigger(page) -> None:
    """Fill the new-trigger editor: name, agent, (any of two words) AND a plain-language test, one action."""
    page.get_by_label("Name").fill("Discount question")
    page.get_by_label("Agent").select_option(label="Support")
    root = page.get_by_role("group", name="Condition", exact=True)
    root.get_by_role("button", name="Add a group to Condition").click()
    group = page.get_by_role("group", name="Group 1", exact=True)
    assert group.get_by_label("How the conditions of Group 1 combine").input_value() == "any"
    for _ in range(2):
        group.get_by_role("button", name="Add a condition to Group 1").click()
    for number, word in (("1.1", "discount"), ("1.2", "cheaper")):
        test = page.get_by_role("group", name=f"Condition {number}", exact=True)
        assert test.get_by_label("Fact").input_value() == "message.text"
        assert test.get_by_label("Operator").input_value() == "contains"
        test.get_by_label("Value").fill(word)
    root.get_by_role("button", name="Add a plain-language condition to Condition").click()
    ai = page.get_by_role("group", name="Condition 2", exact=True)
    ai.get_by_label("In plain language (the AI judges it)").fill(AI_CONDITION)
    page.get_by_label("Action to add").select_option("send_message")
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("group", name="Action 1: Send a message").get_by_label("Text").fill(REPLY)


def test_build_save_test_and_see_the_log(open_context, agent):
    _, page, watch = open_context()
    log_in(page, agent.workspace.memberships.get().user.email)
    page.goto("/triggers")
    page.get_by_text("No triggers yet").wait_for()
    page.get_by_role("link", name="New trigger").first.click()
    build_trigger(page)
    screenshot(page, "triggers-editor-new-light-desktop")
    page.get_by_role("button", name="Create trigger").click()
    page.wait_for_url(re.compile(r"/triggers/\d+$"))
    page.get_by_role("status").filter(has_text="Saved").wait_for()

    with workspace_scope(agent.workspace_id):
        trigger = Trigger.objects.get()
        assert trigger.agent_id == agent.pk
        assert trigger.condition == {
            "all": [
                {
                    "any": [
                        {"fact": "message.text", "op": "contains", "value": "discount"},
                        {"fact": "message.text", "op": "contains", "value": "cheaper"},
                    ]
                },
                {"ai": AI_CONDITION, "min_confidence": 0.7},
            ]
        }
        assert [(a.kind, a.params) for a in trigger.actions.order_by("order")] == [("send_message", {"text": REPLY})]
    assert page.get_by_role("group", name="Condition 1.2", exact=True).get_by_label("Value").input_value() == "cheaper"
    screenshot(page, "triggers-editor-nested-light-desktop")

    # The server's refusal lands on the node it is about (keyed `condition.all[0].any[1].value`).
    second = page.get_by_role("group", name="Condition 1.2", exact=True)
    second.get_by_label("Operator").select_option("matches")
    second.get_by_label("Value").fill("(a+)+")
    bar = page.get_by_role("region", name="Changes to save")
    with watch.expecting("400"):
        bar.get_by_role("button", name="Save").click()
        second.get_by_text("can take forever to match").wait_for()
    assert second.get_by_label("Value").get_attribute("aria-invalid") == "true"
    assert page.get_by_role("group", name="Condition 1.1", exact=True).get_by_text("can take forever").count() == 0
    screenshot(page, "triggers-editor-error-light-desktop")
    bar.get_by_role("button", name="Discard").click()
    page.get_by_role("dialog", name="Discard your changes?").get_by_role("button", name="Discard").click()
    bar.wait_for(state="hidden")

    # Tested against a customer's message: it holds, with the judge's confidence and reason.
    page.get_by_role("tab", name="Test").click()
    page.get_by_label("Customer message").fill("Hello! Is there a discount if I buy two?")
    page.get_by_role("button", name="Test", exact=True).click()
    result = page.get_by_role("region", name="Result")
    result.get_by_text("The condition holds").wait_for()
    judgement = result.get_by_test_id("ai-judgement")
    assert AI_CONDITION in judgement.inner_text()
    assert "confidence 100%" in judgement.inner_text()
    assert "discount" in judgement.locator("p").inner_text().lower()  # the judge's reason names the word found
    assert "Send a message" in result.inner_text()
    screenshot(page, "triggers-test-result-light-desktop")

    # The test is in the log; expanded, its verdict.
    page.get_by_role("tab", name="Log").click()
    log = page.get_by_role("list", name="Log")
    entry = log.get_by_role("button").first
    assert "Tested" in entry.inner_text()
    entry.click()
    log.get_by_test_id("ai-judgement").wait_for()
    assert "message.text contains 'discount'" in log.inner_text()
    screenshot(page, "triggers-log-light-desktop")
    with workspace_scope(agent.workspace_id):
        assert list(TriggerLog.objects.values_list("outcome", "event")) == [("tested", "test")]

    # The list: its summary line, its switch.
    page.get_by_role("link", name="Triggers").first.click()
    row = page.get_by_role("row").filter(has_text="Discount question")
    assert "Message text contains “discount” or Message text contains “cheaper”" in row.inner_text()
    assert f"“{AI_CONDITION}”" in row.inner_text()
    screenshot(page, "triggers-list-light-desktop")
    row.get_by_role("switch", name="Trigger Discount question active").click()
    row.get_by_role("switch", name="Trigger Discount question active", checked=False).wait_for()
    with workspace_scope(agent.workspace_id):
        assert Trigger.objects.get().is_active is False


def test_the_pages_read_on_a_phone_in_the_dark(open_context, agent):
    _, page, _ = open_context(viewport="phone", color_scheme="dark")
    log_in(page, agent.workspace.memberships.get().user.email)
    page.goto("/triggers/new")
    build_trigger(page)
    overflow = page.evaluate("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth }")
    assert overflow <= 0, f"the editor scrolls sideways by {overflow}px on a phone"
    screenshot(page, "triggers-editor-dark-phone")
    page.get_by_role("button", name="Create trigger").click()
    page.wait_for_url(re.compile(r"/triggers/\d+$"))
    page.get_by_role("tab", name="Test").click()
    page.get_by_label("Customer message").fill("Can I get it cheaper?")
    page.get_by_role("button", name="Test", exact=True).click()
    page.get_by_role("region", name="Result").get_by_text("The condition holds").wait_for()
    screenshot(page, "triggers-test-result-dark-phone")
    page.goto("/triggers")
    page.get_by_role("row").filter(has_text="Discount question").wait_for()
    screenshot(page, "triggers-list-dark-phone")

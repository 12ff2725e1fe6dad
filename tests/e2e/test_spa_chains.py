"""A follow-up chain end to end, in real Chromium against the real server and worker: built in the
Chains editor with two steps, started on a conversation from its page, and its run's timeline shows
step 1 sent (its delay is zero, so the real claim sends it at once) and step 2 waiting."""

from __future__ import annotations

import re

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import ChainRun
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.conversations.factories import ConversationFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_build_a_chain_start_it_on_a_conversation_and_watch_step_one_go_out(open_context, celery_worker_process):
    owner = UserFactory(prefix="chains", verified=True)
    workspace = WorkspaceFactory(name="Chains Shop", owner=owner)
    conversation = ConversationFactory(workspace=workspace, customer_name="Anna", external_chat_id="chat-e2e")
    _, page, _ = open_context()
    log_in(page, owner.email)

    # Build the chain: a message at once, then another a day later.
    page.goto("/chains")
    page.get_by_role("button", name="New chain").first.click()
    dialog = page.get_by_role("dialog", name="New chain")
    dialog.get_by_label("Name").fill("Quote follow-up")
    dialog.get_by_role("button", name="Create").click()
    page.wait_for_url(re.compile(r"/chains/\d+$"))
    chain_id = int(page.url.rsplit("/", 1)[1])
    first = page.get_by_test_id("chain-step").nth(0)
    first.get_by_label("Delay").fill("0")
    first.get_by_label("Unit").select_option("minutes")
    first.get_by_label("Message").fill("Hi {customer_name}, did the quote help?")
    page.get_by_role("button", name="Add step").click()
    second = page.get_by_test_id("chain-step").nth(1)
    second.get_by_label("Message").fill("Still thinking it over, {customer_name}?")
    screenshot(page, "chains-editor-steps-light-desktop")
    bar = page.get_by_role("region", name="Changes to save")
    bar.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()

    # Start it from the conversation's page.
    page.goto(f"/conversations/{conversation.pk}")
    panel = page.get_by_test_id("chains-panel")
    panel.locator("summary").click()
    panel.get_by_label("Start a chain…").select_option(label="Quote follow-up")
    panel.get_by_role("button", name="Start").click()
    panel.get_by_text("Running", exact=True).wait_for()
    screenshot(page, "chains-conversation-panel-light-desktop")

    # The run's timeline: step 1 sent with the customer's name filled in, step 2 waiting a day.
    page.goto(f"/chains/{chain_id}")
    page.get_by_role("tablist", name="Chain sections").get_by_role("tab", name="Runs").click()
    page.get_by_test_id("chain-run").get_by_role("button", name="Anna").click()
    timeline = page.get_by_test_id("run-timeline")
    step_one = timeline.get_by_test_id("timeline-step").nth(0)
    step_one.get_by_text("Sent", exact=True).wait_for(timeout=30_000)  # the runs list refreshes every 5 s
    assert step_one.get_by_test_id("timeline-message").inner_text() == "Hi Anna, did the quote help?"
    assert timeline.get_by_test_id("timeline-step").nth(1).get_attribute("data-status") == "pending"
    screenshot(page, "chains-run-timeline-light-desktop")
    with workspace_scope(workspace.pk):
        run = ChainRun.objects.get(chain_id=chain_id)
    assert run.status == ChainRun.Status.ACTIVE and run.started_by == "manual"

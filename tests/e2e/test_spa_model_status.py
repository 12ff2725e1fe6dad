"""In real Chromium against the real server and worker: a playground test outside working hours on an
agent that holds every reply for approval gets its reply (the switches are on by default), and with
the switches off the agent's rules apply again; an agent on a model whose provider has no key says so
in the editor (with the link to the AI credentials), in the agents list and on the reply it wrote with
the offline model; the workspace's time zone is set in Settings and shown by the working-hours editor."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
CLOSED_NOW = "We are closed now, we answer from 9 to 18."


@pytest.fixture
def shop():
    owner = UserFactory(prefix="model-owner", verified=True)
    workspace = WorkspaceFactory(name="Night Shop", owner=owner)
    return owner, workspace


def test_a_playground_test_outside_hours_on_an_approval_agent_gets_a_reply(open_context, shop, celery_worker_process):
    owner, workspace = shop
    AgentFactory(
        workspace=workspace,
        actor=owner,
        name="Strict",
        answering=True,
        working_hours={"mon": []},  # no open window on any day: outside working hours now
        outside_hours_action="fallback",
        fallback_message=CLOSED_NOW,
        approval_required=True,
    )
    _, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/playground")
    assert page.get_by_role("switch", name="Ignore working hours").get_attribute("aria-checked") == "true"
    assert page.get_by_role("switch", name="Skip approval").get_attribute("aria-checked") == "true"

    page.get_by_label("Your message").fill("Hello, do you deliver on Sundays?")
    page.get_by_role("button", name="Send").click()
    reply = page.locator("[data-author=ai][data-status=sent]").first
    reply.wait_for(timeout=20_000)
    assert CLOSED_NOW not in reply.inner_text()
    steps = page.get_by_test_id("trace-steps").first
    steps.get_by_text("working_hours", exact=True).wait_for()
    steps.get_by_text("approval", exact=True).wait_for()
    screenshot(page, "playground-test-switches")

    # The switches off: the agent's rules again — the fallback message, held for approval.
    page.get_by_role("button", name="New conversation").click()
    page.get_by_role("switch", name="Ignore working hours").click()
    page.get_by_role("switch", name="Skip approval").click()
    page.get_by_label("Your message").fill("Hello again")
    page.get_by_role("button", name="Send").click()
    held = page.locator("[data-author=ai][data-status=pending_approval]").first
    held.wait_for(timeout=20_000)
    assert CLOSED_NOW in held.inner_text()
    with workspace_scope(workspace.pk):
        statuses = sorted(Message.objects.filter(author="ai").values_list("status", flat=True))
    assert statuses == ["pending_approval", "sent"]


def test_a_model_without_its_key_is_shown_everywhere_people_look(open_context, shop, celery_worker_process):
    owner, workspace = shop
    agent = AgentFactory(
        workspace=workspace, actor=owner, name="Sales", answering=True, model_provider="openai", model_id="gpt-4o-mini"
    )
    _, page, _ = open_context()
    log_in(page, owner.email)

    # The editor: the warning, its link to the AI credentials, a picker of chat models by name.
    page.goto(f"/agents/{agent.pk}")
    warning = page.get_by_test_id("model-status")
    warning.get_by_text("GPT-4o mini cannot answer: this workspace has no OpenAI key").wait_for()
    assert "Offline (extractive, no network) answers instead" in warning.inner_text()
    picker = page.get_by_label("Model")
    # Until the registry's list arrives the picker shows the agent's raw "openai:gpt-4o-mini".
    picker.locator("option", has_text="GPT-4o mini").wait_for(state="attached")
    assert picker.locator("option:checked").inner_text() == "GPT-4o mini"
    options = picker.locator("option").all_inner_texts()
    assert "text-embedding-3-small" not in " ".join(options) and "OpenAI text-embedding-3-small" not in options
    screenshot(page, "agent-editor-model-without-key")
    warning.get_by_role("link", name="Add a key in Settings → AI credentials").click()
    page.get_by_role("tab", name="AI credentials", selected=True).wait_for()
    page.get_by_role("heading", name="AI provider keys").wait_for()

    # The agents list.
    page.goto("/agents")
    page.locator("[data-testid=model-status-badge]:visible").filter(has_text="No OpenAI key").wait_for()

    # The playground: the warning, then the reply's note on its bubble.
    page.goto("/playground")
    page.get_by_test_id("model-status").wait_for()
    page.get_by_label("Your message").fill("Hi there")
    page.get_by_role("button", name="Send").click()
    note = page.get_by_test_id("model-note").first
    note.wait_for(timeout=20_000)
    assert note.inner_text().startswith("Answered by Offline (extractive, no network): no OpenAI key for GPT-4o mini.")
    screenshot(page, "playground-model-note")

    # The inbox shows the same note on the reply.
    page.goto("/conversations")
    page.get_by_role("list", name="Conversations").get_by_role("link").first.click()
    page.get_by_test_id("model-note").first.wait_for()


def test_the_workspace_time_zone_is_set_in_settings_and_shown_with_the_working_hours(open_context, shop):
    owner, workspace = shop
    agent = AgentFactory(workspace=workspace, actor=owner, name="Hours", answering=True)
    _, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/settings?tab=workspace")
    page.get_by_label("Time zone").select_option("Europe/Madrid")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    workspace.refresh_from_db()
    assert workspace.time_zone == "Europe/Madrid"
    screenshot(page, "settings-workspace")

    page.goto(f"/agents/{agent.pk}")
    page.get_by_test_id("working-hours-zone").get_by_text("Europe/Madrid").wait_for()

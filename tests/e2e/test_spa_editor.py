"""No edit is lost, in real Chromium against the real server: in the agent editor a field edited in
one tab survives a switch to another tab; leaving the page with changes asks (the app's question for
a link, the browser's for closing the tab), and staying keeps the edit; one Save stores the edits of
two tabs as one version, whose diff reads with the editor's labels. A channel no customer can reach
the agent on (WhatsApp without Kommo) is warned about in the editor and in the agents list."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from agents.models import Agent, AgentChannel, AgentVersion
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
INSTRUCTIONS = "Answer in two sentences at most."


@pytest.fixture
def agent():
    """An owner's switched-on agent answering on the API channel (committed: the server must see it)."""
    owner = UserFactory(prefix="editor", verified=True)
    workspace = WorkspaceFactory(name="Editor Shop", owner=owner)
    return AgentFactory(workspace=workspace, actor=owner, answering=True, name="Support", instructions="")


def test_edits_survive_tabs_and_leaving_is_asked_and_one_save_stores_both_tabs(open_context, agent):
    _, page, _ = open_context()
    log_in(page, agent.workspace.memberships.get().user.email)
    page.goto(f"/agents/{agent.pk}")
    tabs = page.get_by_role("tablist", name="Agent sections")

    # An edit in the settings tab, then a channel in another tab: the first is kept across the switch.
    page.get_by_label("Instructions").fill(INSTRUCTIONS)
    bar = page.get_by_role("region", name="Changes to save")
    bar.get_by_text("You have changes to save.").wait_for()
    tabs.get_by_role("tab", name="Channels").click()
    page.get_by_label("WhatsApp").check()
    warning = page.get_by_role("alert").filter(
        has_text="Messages from WhatsApp come through Kommo, which is not connected"
    )
    warning.wait_for()
    screenshot(page, "editor-unsaved-channels-light-desktop")
    tabs.get_by_role("tab", name="Settings").click()
    assert page.get_by_label("Instructions").input_value() == INSTRUCTIONS
    assert tabs.locator("[data-tab-state=changed]").count() == 2  # both tabs marked as holding changes

    # Leaving by a link asks in the app; "Keep editing" stays, with the edit.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Knowledge Base").click()
    question = page.get_by_role("dialog", name="Discard your changes?")
    question.wait_for()
    screenshot(page, "editor-leave-question-light-desktop")
    question.get_by_role("button", name="Keep editing").click()
    assert page.url.endswith(f"/agents/{agent.pk}")
    assert page.get_by_label("Instructions").input_value() == INSTRUCTIONS

    # Closing the browser tab asks through the browser; dismissing it keeps the page.
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()
    page.remove_listener("dialog", on_dialog)

    # One Save stores both tabs' edits, as one version.
    bar.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    bar.wait_for(state="hidden")
    with workspace_scope(agent.workspace_id):
        assert Agent.objects.get(pk=agent.pk).instructions == INSTRUCTIONS
        assert sorted(AgentChannel.objects.filter(agent=agent).values_list("channel", flat=True)) == ["api", "whatsapp"]
        assert list(AgentVersion.objects.filter(agent=agent).values_list("number", flat=True)) == [3, 2, 1]
    # (1: created, 2: the factory's channels, 3: this one Save.)

    # The diff of that version reads as the editor does.
    tabs.get_by_role("tab", name="Versions").click()
    page.get_by_role("listitem").filter(has_text="v3").get_by_role("button", name="Diff").click()
    diff = page.get_by_test_id("version-diff")
    diff.get_by_text("Instructions", exact=True).wait_for()
    diff.get_by_text("Channels", exact=True).wait_for()
    assert "+ WhatsApp" in diff.inner_text()
    assert "instructions" not in diff.inner_text() and "channels" not in diff.inner_text()
    screenshot(page, "editor-version-diff-light-desktop")
    page.get_by_role("dialog").get_by_role("button", name="Close").first.click()

    # With nothing left to save, leaving asks nothing; the list warns about the unreachable channel.
    page.get_by_role("link", name="Agents").first.click()
    row = page.get_by_role("row").filter(has_text="Support")
    row.get_by_text("Switched on, but no customer reaches it on WhatsApp.").wait_for()
    screenshot(page, "agents-list-channel-warning-light-desktop")

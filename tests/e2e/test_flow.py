"""The issue's whole flow in real Chromium against Daphne + a real Celery worker + the offline model:
register → verify (the link from the server's mail) → log in → create an agent → add a KB article and
watch it get indexed live → chat in the playground and see the grounded reply with its trace and
citations → with approval required, approve a held reply in the inbox while a second browser context
(another tab of the same team) sees the change live."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in, read_mail, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
EMAIL = "flow@example.com"


def test_register_to_approved_reply(open_context, email_dir, celery_worker_process):
    _, page, console = open_context()

    # Register: the API answers 202 and mails a verification link.
    page.goto("/register")
    page.get_by_label("Your name").fill("Flora Flow")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text(f"Check {EMAIL}").wait_for()

    # Logging in before verifying is refused with the API's message.
    with console.expecting("status of 403"):
        page.goto("/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("alert").wait_for()

    token = re.search(r"verify-email\?token=([\w\-.:=]+)", read_mail(email_dir, EMAIL)).group(1)
    page.goto(f"/verify-email?token={token}")
    page.get_by_text("Your email is verified.").wait_for()
    log_in(page, EMAIL)
    page.locator("[data-realtime=open]").wait_for()

    # An agent, switched on, from the list.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Agents").click()
    page.get_by_role("button", name="New agent").first.click()
    page.get_by_role("dialog").get_by_label("Name").fill("Support Bot")
    page.get_by_role("dialog").get_by_role("button", name="Create").click()
    page.get_by_role("heading", name="Support Bot").wait_for()
    agent_url = page.url
    page.get_by_role("switch", name="Active: Support Bot").click()
    page.get_by_text("Active", exact=True).wait_for()

    # A knowledge base article; its index state turns "Indexed" live (websocket events).
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Knowledge Base").click()
    page.get_by_role("button", name="New article").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill("Delivery times")
    dialog.get_by_label("Text").fill(
        "We deliver orders within 3 business days across Spain. Express delivery arrives the next day for 9 euros."
    )
    dialog.get_by_label("Language").select_option("en")
    dialog.get_by_role("button", name="Save").click()
    page.get_by_test_id("article-index").locator("[data-index-state=ready]").wait_for(timeout=30_000)
    # A file attached to it is extracted and indexed too, its state shown live.
    dialog.get_by_label("Upload file").set_input_files(
        files=[{"name": "returns.txt", "mimeType": "text/plain", "buffer": b"Returns are free within 30 days."}]
    )
    dialog.get_by_role("listitem").filter(has_text="returns.txt").locator("[data-index-state=ready]").wait_for(
        timeout=30_000
    )
    dialog.get_by_role("button", name="Close", exact=True).last.click()
    page.get_by_role("button", name=re.compile("Delivery times")).wait_for()

    # Hybrid search shows the passage with the match highlighted.
    page.get_by_role("tab", name="Search").click()
    page.get_by_role("searchbox", name="Search the knowledge base").fill("express delivery")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.get_by_test_id("search-snippet").first.locator("mark").first.wait_for()
    screenshot(page, "flow-knowledge-search")

    # The playground: a grounded reply, its trace (steps with ms) and its citation beside it.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Playground").click()
    page.get_by_label("Your message").fill("How long does delivery take?")
    page.get_by_role("button", name="Send").click()
    reply = page.locator("[data-author=ai]").first
    reply.get_by_text("3 business days").wait_for(timeout=20_000)
    page.get_by_test_id("trace-steps").first.get_by_text("knowledge").wait_for()
    assert "Delivery times" in page.get_by_test_id("citations").first.inner_text()
    screenshot(page, "flow-playground-reply")

    # Approval required from now on.
    page.goto(agent_url)
    page.get_by_label("Approval required").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").first.wait_for()

    # A second browser context (a teammate's tab) watches the inbox.
    _, other, _ = open_context()
    log_in(other, EMAIL)
    other.goto("/conversations")
    other.locator("[data-realtime=open]").wait_for()
    other.get_by_role("list", name="Conversations").wait_for()

    # A new playground conversation, the test's "Skip approval" switched off: the reply is held for approval.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Playground").click()
    page.get_by_role("switch", name="Skip approval").click()
    page.get_by_label("Your message").fill("How much is express delivery?")
    page.get_by_role("button", name="Send").click()
    page.locator("[data-author=ai][data-status=pending_approval]").wait_for(timeout=20_000)

    # The teammate's inbox shows it live, needing approval; they open it.
    held = other.get_by_role("link").filter(has_text="Needs approval").first
    held.wait_for(timeout=15_000)
    held.click()
    other.locator("[data-author=ai][data-status=pending_approval]").wait_for()
    screenshot(other, "flow-inbox-held")

    # Approved in the first context; the second sees the reply go out without reloading.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Conversations").click()
    page.get_by_role("link").filter(has_text="Needs approval").first.click()
    page.get_by_role("group", name="Review the reply").get_by_role("button", name="Approve", exact=True).click()
    other.locator("[data-author=ai][data-status=sent]").wait_for(timeout=15_000)
    assert other.locator("[data-author=ai][data-status=pending_approval]").count() == 0
    page.locator("[data-author=ai][data-status=sent]").wait_for()
    screenshot(other, "flow-inbox-approved")

    # Settings: invite a teammate; the notification preferences save.
    conversation_url = page.url
    page.goto("/settings")
    page.get_by_role("tab", name="Team").click()
    page.get_by_role("textbox", name="Email").fill("mate@example.com")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("mate@example.com").wait_for()
    page.get_by_role("tab", name="Notifications").click()
    page.get_by_label("member_joined email").uncheck()
    page.get_by_text("Saved").first.wait_for()

    # Knowledge categories: create two, nest one by dragging, file the article, delete with "move up".
    page.goto("/knowledge")
    for name in ("Shipping", "Returns"):
        page.get_by_role("button", name="New category").click()
        page.get_by_role("dialog").get_by_label("Name").fill(name)
        page.get_by_role("dialog").get_by_role("button", name="Save").click()
        page.get_by_role("treeitem").filter(has_text=name).wait_for()
    tree = page.get_by_role("tree", name="Categories")
    item = lambda name: tree.get_by_role("treeitem").filter(has_text=name).locator("[draggable=true]").first  # noqa: E731
    item("Returns").drag_to(item("Shipping"))
    page.get_by_role("group").get_by_role("treeitem").filter(has_text="Returns").wait_for()
    page.get_by_role("button", name=re.compile("Delivery times")).click()
    page.get_by_role("dialog").get_by_label("Returns").check()
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    page.get_by_text("Saved").first.wait_for()
    page.get_by_role("dialog").get_by_role("button", name="Close", exact=True).last.click()
    page.get_by_role("button", name="Delete Returns").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    page.get_by_text("Category deleted").wait_for()
    assert page.get_by_role("treeitem").filter(has_text="Returns").count() == 0

    # An update rule, then the version history restores the agent as it was before approval.
    page.goto(agent_url)
    page.get_by_role("tab", name="Update rules").click()
    page.get_by_role("button", name="Add rule").click()
    rule = page.get_by_role("dialog")
    rule.get_by_role("button", name="Save").click()
    rule.get_by_text("This field is required.").first.wait_for()
    rule.get_by_label("Name").fill("Delivery city")
    rule.get_by_label("Instruction").fill("The city the customer wants delivery to")
    rule.get_by_label("Field code").fill("CITY")
    rule.get_by_role("button", name="Save").click()
    page.get_by_text("Delivery city").wait_for()
    page.get_by_role("tab", name="Versions").click()
    page.get_by_role("button", name="Restore").first.click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    page.get_by_text("Version restored").wait_for()
    page.get_by_role("tab", name="Update rules").click()
    page.get_by_text("No update rules yet").wait_for()

    # Screenshots of every page with this data, light and dark, desktop and phone.
    pages = {
        "agents": "/agents",
        "agent-editor": agent_url,
        "knowledge": "/knowledge",
        "conversations": "/conversations",
        "conversation-thread": conversation_url,
        "playground": "/playground",
    }
    for viewport in ("desktop", "phone"):
        for scheme in ("light", "dark"):
            _, shot, _ = open_context(viewport=viewport, color_scheme=scheme)
            log_in(shot, EMAIL)
            suffix = f"{scheme}-{viewport}"
            for name, path in pages.items():
                shot.goto(path)
                shot.get_by_role("heading", level=1).wait_for()
                shot.wait_for_load_state("networkidle")
                screenshot(shot, f"{name}-{suffix}")
            for tab in ("Password", "Notifications", "Team", "AI credentials"):
                shot.goto("/settings")
                shot.get_by_role("tab", name=tab).click()
                shot.wait_for_load_state("networkidle")
                screenshot(shot, f"settings-{tab.lower().replace(' ', '-')}-{suffix}")
            shot.goto(agent_url)
            shot.get_by_role("tab", name="Versions").click()
            shot.get_by_role("button", name="Diff").first.click()
            shot.get_by_role("dialog").locator("dl").wait_for()
            screenshot(shot, f"agent-version-diff-{suffix}")
            shot.goto("/knowledge")
            shot.get_by_role("button", name=re.compile("Delivery times")).click()
            shot.get_by_test_id("article-index").wait_for()
            screenshot(shot, f"knowledge-article-{suffix}")
            shot.goto("/playground")
            shot.get_by_label("Your message").fill("Do you deliver on Sundays?")
            shot.get_by_role("button", name="Send").click()
            shot.get_by_test_id("trace-steps").first.wait_for(timeout=20_000)
            screenshot(shot, f"playground-chat-{suffix}")
            shot.context.close()

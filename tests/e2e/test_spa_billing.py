"""The Billing page in real Chromium against the real server: after the offline agent has answered
four customers on a plan of five AI replies, the page shows the plan, the AI-replies bar at 80 %
(the warning colour), the agents and seats counted, and the plan comparison with the workspace's
plan highlighted. Then a subscription through the local Stripe's checkout page: Pay, back on the
page, the webhook makes the plan Pro. Light desktop and dark phone."""

from __future__ import annotations

import pytest
import stripe

from agent_platform.tenancy import workspace_scope
from billing.selectors import plan_current
from billing.services import plans_sync_to_stripe, webhook_endpoint_register
from conversations.models import Message
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.billing.factories import plan_make, put_on_plan
from tests.conversations.flow import ingest, process
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workspace():
    """A workspace on a five-reply plan whose offline agent has answered four customers."""
    owner = UserFactory(prefix="billing", verified=True)
    workspace = WorkspaceFactory(name="Billing Shop", owner=owner)
    put_on_plan(workspace, plan_make("small", replies=5, agents=2, seats=3, monthly_price="19.00", sort_order=1))
    AgentFactory(workspace=workspace, actor=owner, answering=True, name="Support")
    for n in range(4):
        message, _ = ingest(workspace, f"Hello number {n}", chat=f"chat-{n}")
        reply = process(workspace, message.conversation_id)
        assert reply is not None and reply.author == Message.Author.AI and reply.text
    with workspace_scope(workspace.pk):
        assert Message.objects.filter(author=Message.Author.AI).count() == 4
    return workspace


def test_the_billing_page_shows_the_plan_and_the_usage_bars(open_context, workspace):
    _, page, _ = open_context()
    log_in(page, workspace.memberships.get().user.email)
    page.goto("/billing")
    page.get_by_test_id("current-plan").filter(has_text="Small plan").wait_for()
    replies = page.get_by_test_id("usage-ai_replies_per_month")
    assert replies.get_attribute("data-level") == "warning"
    assert "4 of 5 · 80 %" in replies.inner_text()
    assert replies.get_by_role("progressbar").get_attribute("aria-valuenow") == "80"
    assert "1 of 2" in page.get_by_test_id("usage-agents").inner_text()
    assert "1 of 3" in page.get_by_test_id("usage-seats").inner_text()
    table = page.get_by_test_id("plan-table")
    assert table.locator("th[data-current=true]").inner_text().startswith("Small")
    assert table.get_by_role("button", name="Your plan").is_disabled()
    assert table.get_by_role("button", name="Subscribe").count() == 3  # Starter, Pro, Business (Free: not bought)
    page.get_by_text("No invoices yet.").wait_for()
    screenshot(page, "billing-light-desktop")

    _, phone, _ = open_context(viewport="phone", color_scheme="dark")
    log_in(phone, workspace.memberships.get().user.email)
    phone.goto("/billing")
    phone.get_by_test_id("usage-ai_replies_per_month").wait_for()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width  # the comparison table scrolls inside its box, the page does not
    screenshot(phone, "billing-dark-phone")


def test_subscribe_through_the_local_checkout_and_see_the_plan_change(
    open_context, workspace, spa_server, e2e_stripe, settings, monkeypatch
):
    settings.STRIPE_API_BASE = e2e_stripe.url
    monkeypatch.setattr(stripe, "api_base", e2e_stripe.url)
    plans_sync_to_stripe()
    webhook_endpoint_register(url=spa_server)
    _, page, _ = open_context()
    log_in(page, workspace.memberships.get().user.email)
    page.goto("/billing")
    table = page.get_by_test_id("plan-table")
    # The Subscribe buttons are in the plans' order: Starter, Pro, Business.
    table.get_by_role("button", name="Subscribe").nth(1).click()
    page.wait_for_url(f"{e2e_stripe.url}/checkout/*")
    page.get_by_text("Subscribe to Pro").wait_for()
    page.get_by_role("button", name="Pay").click()
    page.wait_for_url("**/billing?checkout=success")
    page.get_by_test_id("current-plan").filter(has_text="Pro plan").wait_for(timeout=20_000)
    assert page.get_by_test_id("subscription-status").inner_text() == "Active"
    page.get_by_test_id("invoices").get_by_role("link", name="PDF").wait_for()
    assert table.locator("th[data-current=true]").inner_text().startswith("Pro")
    assert plan_current(workspace=workspace).code == "pro"
    screenshot(page, "billing-subscribed")

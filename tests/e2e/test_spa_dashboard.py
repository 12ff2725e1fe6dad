"""The dashboard in real Chromium against the real server and worker: three customers write, the
worker answers them with the offline model, and the dashboard's KPI cards count them and its charts
draw them. Screenshots in light/dark × desktop/phone."""

from __future__ import annotations

import time

import pytest

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from conversations.services import ingest_message
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.conversations.conftest import kb_article  # noqa: F401 (fixture)
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner():
    return UserFactory(prefix="dashboard", verified=True)


@pytest.fixture
def workspace(owner):
    return WorkspaceFactory(name="Dashboard Shop", owner=owner)


def answered(workspace, customers: int, timeout: float = 60) -> int:
    """Wait until the worker has sent an AI reply to each customer."""
    deadline = time.monotonic() + timeout
    while True:
        with workspace_scope(workspace.pk):
            sent = Message.objects.filter(author="ai", status="sent").count()
        if sent >= customers or time.monotonic() > deadline:
            return sent
        time.sleep(0.3)


def test_kpis_count_real_replies_and_the_charts_draw_them(
    open_context, celery_worker_process, owner, workspace, request
):
    request.getfixturevalue("kb_article")()  # the knowledge the offline model answers from
    AgentFactory(workspace=workspace, actor=owner, answering=True, name="Support")
    for n, question in enumerate(("How long does delivery take?", "Do you deliver across Spain?", "Express delivery?")):
        with workspace_scope(workspace.pk):
            ingest_message(
                workspace=workspace,
                channel="api",
                external_chat_id=f"dash-{n}",
                external_message_id=f"dash-{n}-1",
                text=question,
                customer_name=f"Customer {n}",
            )
    assert answered(workspace, 3) == 3

    context, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/")
    conversations = page.get_by_test_id("kpi-conversations")
    conversations.get_by_test_id("kpi-value").filter(has_text="3").wait_for()
    assert conversations.get_by_test_id("kpi-change").inner_text() == "New this period"
    assert page.get_by_test_id("kpi-ai_replies").get_by_test_id("kpi-value").inner_text() == "3"
    # The charts (Recharts, loaded with them): today's bars are drawn.
    page.get_by_test_id("chart-activity").locator(".recharts-bar-rectangle").first.wait_for()
    assert page.get_by_test_id("chart-activity").locator(".recharts-bar-rectangle").count() >= 2
    # The offline model costs nothing and nothing was handed off: those series are drawn flat at 0.
    for chart, series in (("chart-cost", ".recharts-area"), ("chart-rates", ".recharts-line")):
        page.get_by_test_id(chart).locator(".recharts-surface").first.wait_for()
        page.get_by_test_id(chart).locator(series).first.wait_for(state="attached")
    screenshot(page, "dashboard-desktop-light")

    page.get_by_test_id("period-30d").click()
    page.get_by_test_id("period-range").wait_for()
    assert page.get_by_test_id("period-30d").get_attribute("aria-pressed") == "true"
    assert page.get_by_test_id("kpi-ai_replies").get_by_test_id("kpi-value").inner_text() == "3"
    context.close()

    for viewport, scheme in (("desktop", "dark"), ("phone", "light"), ("phone", "dark")):
        _, shot, _ = open_context(viewport=viewport, color_scheme=scheme)
        log_in(shot, owner.email)
        shot.goto("/")
        shot.get_by_test_id("chart-activity").locator(".recharts-bar-rectangle").first.wait_for()
        width = shot.evaluate("() => document.documentElement.scrollWidth")
        assert width <= shot.viewport_size["width"], f"{viewport}: the page scrolls sideways ({width}px)"
        screenshot(shot, f"dashboard-{viewport}-{scheme}")


def test_live_counters_and_the_needs_attention_list_follow_the_worker_without_a_reload(
    open_context, celery_worker_process, owner, workspace, request
):
    request.getfixturevalue("kb_article")()
    AgentFactory(workspace=workspace, actor=owner, answering=True, name="Careful", approval_required=True)
    context, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/")
    page.locator("[data-realtime=open]").wait_for()
    page.get_by_test_id("attention-empty").wait_for()
    pending = page.get_by_test_id("live-pending_approvals").get_by_test_id("live-value")
    today = page.get_by_test_id("live-conversations_today").get_by_test_id("live-value")
    pending.filter(has_text="0").wait_for()
    assert today.inner_text() == "0"
    page.evaluate("window.__sameDocument = true")

    # A customer writes; the worker holds the AI's reply for approval. The page is not reloaded.
    with workspace_scope(workspace.pk):
        ingest_message(
            workspace=workspace,
            channel="api",
            external_chat_id="live-1",
            external_message_id="live-1-1",
            text="How long does delivery take?",
            customer_name="Live customer",
        )
    today.filter(has_text="1").wait_for(timeout=60_000)
    pending.filter(has_text="1").wait_for(timeout=60_000)
    item = page.get_by_test_id("attention-pending_approvals")
    item.filter(has_text="1 AI reply is waiting for approval").wait_for()
    assert item.get_attribute("data-severity") == "warning"
    assert page.evaluate("window.__sameDocument") is True
    screenshot(page, "dashboard-live-attention")

    # Its link opens the inbox filtered to the conversations waiting for approval.
    item.get_by_role("link").click()
    page.wait_for_url("**/conversations?needs_approval=true")
    assert page.get_by_role("checkbox", name="Needs approval").is_checked()
    assert not page.get_by_role("checkbox", name="Failed messages").is_checked()
    page.get_by_text("Live customer").first.wait_for()
    context.close()

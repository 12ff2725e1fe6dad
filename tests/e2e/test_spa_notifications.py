"""The notification centre in real Chromium against the real server: the bell starts empty; a
notification the server creates (notify(), committed and published as in production) arrives live
with the unread count, in the open panel and on the closed bell; "Mark all read" clears the count on
the server and at once in another tab; a click on one marks it read and leads to its page. Keyboard:
Escape closes the panel and the focus is back on the bell. Screenshots of the open bell in
light/dark × desktop/phone, the panel inside the screen at phone width."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notify
from agent_platform import realtime
from agent_platform.tenancy import workspace_scope
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner():
    user = UserFactory(prefix="bell", verified=True)
    WorkspaceFactory(name="Bell Shop", owner=user)
    return user


def server_notifies(user, title: str, body: str = "", **payload) -> None:
    """What a service does: notify() inside a transaction; the push goes out when it commits."""
    workspace = user.memberships.get().workspace
    with workspace_scope(workspace.pk), transaction.atomic():
        notify(workspace=workspace, kind="integration_revoked", title=title, body=body, payload=payload, users=[user])
    assert realtime.flush()


def open_bell(page):
    page.get_by_test_id("notification-bell").click()
    return page.get_by_role("dialog", name="Notifications")


def test_a_notification_arrives_live_and_all_are_marked_read(open_context, owner):
    context, page, _ = open_context()
    log_in(page, owner.email)
    page.locator("[data-realtime=open]").wait_for()

    panel = open_bell(page)
    panel.get_by_text("No notifications yet").wait_for()
    assert page.get_by_test_id("notification-count").count() == 0
    assert panel.get_by_role("button", name="Mark all read").is_disabled()

    # Created on the server while the panel is open: at the top, and the bell counts it.
    server_notifies(owner, "Kommo access was revoked", "Connect again.", provider="kommo")
    rows = panel.get_by_test_id("notification")
    rows.filter(has_text="Kommo access was revoked").wait_for()
    page.get_by_role("button", name="Notifications, 1 unread").wait_for()
    assert rows.first.get_attribute("data-unread") == "true"
    assert "just now" in rows.first.inner_text()

    # Escape closes the panel and gives the focus back to the bell; another one arrives on the closed bell.
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.testid") == "notification-bell"
    server_notifies(owner, "Second alert")
    page.get_by_role("button", name="Notifications, 2 unread").wait_for()
    assert page.get_by_test_id("notification-count").inner_text() == "2"

    # Mark all read: the count goes, the rows lose their dot, and the server agrees; another tab follows.
    other = context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Notifications, 2 unread").wait_for()
    other.locator("[data-realtime=open]").wait_for()
    panel = open_bell(page)
    texts = rows.all_inner_texts()
    assert len(texts) == 2 and "Second alert" in texts[0] and "Kommo access was revoked" in texts[1], texts
    panel.get_by_role("button", name="Mark all read").click()
    page.get_by_role("button", name="Notifications", exact=True).wait_for()
    assert panel.locator("[data-unread]").count() == 0
    other.get_by_role("button", name="Notifications", exact=True).wait_for()
    with workspace_scope(owner.memberships.get().workspace_id):
        assert Notification.objects.filter(user=owner, read_at__isnull=True).count() == 0

    # One with a link leads to its page, read.
    server_notifies(owner, "Kommo again", provider="kommo")
    rows.filter(has_text="Kommo again").click()
    page.wait_for_url("**/integrations")
    panel.wait_for(state="hidden")
    page.get_by_role("button", name="Notifications", exact=True).wait_for()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_bell_looks_right(open_context, owner, viewport, scheme):
    for n in range(1, 4):
        server_notifies(owner, f"Alert number {n}", "Someone disabled the integration in Kommo. " * n, provider="kommo")
    with workspace_scope(owner.memberships.get().workspace_id):
        Notification.objects.filter(title="Alert number 1").update(read_at=timezone.now())
    _, page, _ = open_context(viewport=viewport, color_scheme=scheme)
    log_in(page, owner.email)
    page.get_by_role("button", name="Notifications, 2 unread").wait_for()
    panel = open_bell(page)
    panel.get_by_test_id("notification").nth(2).wait_for()
    box = panel.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    screenshot(page, f"notifications-open-{scheme}-{viewport}")

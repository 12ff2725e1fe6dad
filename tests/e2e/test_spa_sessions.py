"""A password change in one browser ends the user's other sessions at once — their websocket is
closed and the SPA sends them to the login page — while the tab that changed it stays signed in
and live."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_changing_the_password_ends_the_other_sessions_now(open_context):
    user = UserFactory(prefix="sessions", verified=True)
    WorkspaceFactory(name="Acme Sessions", owner=user)
    _, mine, console = open_context()
    _, theirs, _ = open_context()  # the same person on another device (or someone with the old password)
    for page in (mine, theirs):
        log_in(page, user.email)
        page.locator("[data-realtime=open]").wait_for()

    mine.goto("/settings")
    mine.get_by_role("tab", name="Password").click()
    mine.get_by_label("Current password").fill("correct horse battery")
    mine.get_by_label("New password").fill("a brand new passphrase 42")
    mine.get_by_label("Confirm password").fill("a brand new passphrase 42")
    # The old socket of this tab is closed too (4401) and its refresh of a revoked token is refused
    # in the other one: Chromium logs those refusals.
    with console.expecting("status of 401"):
        mine.get_by_role("button", name="Change password").click()
        mine.get_by_text("Password changed; other sessions were logged out.").wait_for()

        # The other session: its socket closed, its refresh refused → the login page, told why.
        theirs.wait_for_url("**/login**", timeout=15_000)
        theirs.get_by_text("Your session has expired. Please log in again.").wait_for()

        # This tab reconnects with its new token and keeps working.
        mine.locator("[data-realtime=open]").wait_for(timeout=15_000)
        mine.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Agents").click()
        mine.get_by_role("heading", level=1, name="Agents").wait_for()
    assert "/login" not in mine.url

    log_in(theirs, user.email, password="a brand new passphrase 42")
    theirs.locator("[data-realtime=open]").wait_for()

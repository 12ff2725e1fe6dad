"""Sessions in the browser: the tabs of one browser share one session (an HttpOnly refresh cookie) —
a new tab on a deep link is signed in, tabs refreshing at once all stay signed in, a logout in one
ends every tab; a password change in one browser ends the user's other sessions at once — their
websocket is closed and the SPA sends them to the login page — while the tab that changed it stays
signed in and live; an unconfirmed address gets a new verification email from the login page."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.e2e.conftest import log_in, read_mail, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Two refreshes sent by one page at the same moment: the browser sends the same cookie with both.
CONCURRENT_REFRESHES = """async () => {
  const refresh = () => fetch("/api/auth/session/refresh", { method: "POST" }).then((r) => r.status);
  return Promise.all([refresh(), refresh()]);
}"""


def session_cookies(context) -> list[dict]:
    return [cookie for cookie in context.cookies() if cookie["name"] == "ap_refresh"]


def test_the_tabs_of_one_browser_share_the_session_and_a_logout_ends_every_tab(open_context):
    user = UserFactory(prefix="tabs", verified=True)
    WorkspaceFactory(name="Acme Tabs", owner=user)
    context, first, _ = open_context()
    log_in(first, user.email)
    [cookie] = session_cookies(context)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/api/auth/session")
    assert "ap_refresh" not in first.evaluate("document.cookie")

    # A link opened in a new tab: signed in at once, no login page on the way.
    second = context.new_page()
    second.goto("/agents")
    second.get_by_role("heading", level=1, name="Agents").wait_for()
    second.locator("[data-realtime=open]").wait_for()
    assert "/login" not in second.url

    # Refreshes racing with one cookie all succeed (the server's grace window) …
    assert first.evaluate(CONCURRENT_REFRESHES) == [200, 200]
    # … and so do both tabs reloading at once (each refreshes on load; they take turns with Web Locks).
    first.evaluate("location.reload()")
    second.evaluate("location.reload()")
    for page in (first, second):
        page.get_by_test_id("current-workspace").wait_for()
        page.locator("[data-realtime=open]").wait_for()
    second.get_by_role("heading", level=1, name="Agents").wait_for()
    assert "/login" not in first.url and "/login" not in second.url

    # Logout in one tab: the other lands on the login page, and the cookie is gone.
    first.get_by_role("button", name="Account menu").click()
    first.get_by_role("menuitem", name="Log out").click()
    first.wait_for_url("**/login")
    second.wait_for_url("**/login?next=%2Fagents")
    assert session_cookies(context) == []
    second.reload()
    second.get_by_role("button", name="Log in").wait_for()
    assert "/login" in second.url


def test_an_unconfirmed_address_gets_a_new_link_from_the_login_page(open_context, email_dir):
    user = UserFactory(prefix="unconfirmed")
    WorkspaceFactory(name="Acme Unconfirmed", owner=user)
    _, page, console = open_context()
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery")
    with console.expecting("status of 403"):
        page.get_by_role("button", name="Log in").click()
        page.get_by_text(f"Confirm your email address first: open the link we sent to {user.email}.").wait_for()
    page.get_by_role("button", name="Resend the email").click()
    page.get_by_text(f"A new link is on its way to {user.email}.").wait_for()
    screenshot(page, "login-unverified-resent")

    mail = read_mail(email_dir, user.email)
    link = next(word for word in mail.split() if "/verify-email?token=" in word)
    page.goto(link)
    page.get_by_text("Your email is verified.").wait_for()
    log_in(page, user.email)


def test_changing_the_password_ends_the_other_sessions_now(open_context):
    user = UserFactory(prefix="sessions", verified=True)
    WorkspaceFactory(name="Acme Sessions", owner=user)
    my_browser, mine, console = open_context()
    _, theirs, _ = open_context()  # the same person on another device (or someone with the old password)
    for page in (mine, theirs):
        log_in(page, user.email)
        page.locator("[data-realtime=open]").wait_for()
    my_other_tab = my_browser.new_page()  # the same browser: the same session, which goes on
    my_other_tab.goto("/agents")
    my_other_tab.locator("[data-realtime=open]").wait_for()

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
        # So does this browser's other tab: its socket closed too, it refreshed with the new cookie.
        my_other_tab.locator("[data-realtime=open]").wait_for(timeout=15_000)
        my_other_tab.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Dashboard").click()
        my_other_tab.get_by_role("heading", level=1).wait_for()
    assert "/login" not in mine.url and "/login" not in my_other_tab.url

    log_in(theirs, user.email, password="a brand new passphrase 42")
    theirs.locator("[data-realtime=open]").wait_for()

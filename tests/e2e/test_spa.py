"""The SPA in real Chromium against the real server: login → shell → workspace switch → dark mode →
reload keeps the session → logout; and a screenshot of every built page in light and dark, at desktop
and phone width (artifacts/screenshots/, git-ignored)."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import Role
from tests.accounts.factories import MembershipFactory, UserFactory, WorkspaceFactory
from tests.e2e.conftest import endpoint_exists, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


@pytest.fixture
def account():
    """A user with two workspaces (committed: the server process must see them)."""
    user = UserFactory(prefix="e2e", verified=True)
    first = WorkspaceFactory(name="Acme Sales", owner=user)
    second = WorkspaceFactory(name="Globex Support", owner__prefix="e2e-other")
    MembershipFactory(workspace=second, user=user, role=Role.MEMBER)
    return user, first, second


def pending_endpoint_stubs(user) -> dict:
    """Stand-ins for accounts endpoints still being built, so the shell does not log a 404 in the
    console; each disappears by itself once the real endpoint is routed."""
    stubs = {}
    if not endpoint_exists("/api/user/profile"):
        stubs["/api/user/profile"] = {"id": user.pk, "email": user.email, "name": "Erin Example", "language": "en"}
    if not endpoint_exists("/api/auth/logout"):
        stubs["/api/auth/logout"] = {}
    return stubs


def test_login_shell_workspace_dark_mode_logout(open_context, account):
    user, first, second = account
    _, page, console = open_context(stubs=pending_endpoint_stubs(user))

    page.goto("/conversations")
    page.wait_for_url("**/login?next=%2Fconversations")

    # Wrong password: the API's detail is shown, nothing else happens.
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    with console.expecting("status of 401 (Unauthorized)"):
        page.get_by_role("button", name="Log in").click()
        assert "Invalid email or password" in page.get_by_role("alert").inner_text()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Conversations").wait_for()
    assert page.url.endswith("/conversations")
    assert page.get_by_test_id("current-workspace").inner_text() == first.name
    # The websocket authenticated and joined the workspace.
    page.locator("[data-realtime=open]").wait_for()

    # Every sidebar entry leads somewhere that renders.
    nav = page.get_by_role("navigation", name="Main navigation")
    for label in ["Agents", "Knowledge Base", "Billing", "Settings", "Dashboard"]:
        link = nav.get_by_role("link", name=label)
        href = link.get_attribute("href")
        link.click()
        # The previous page's heading is still there until the route renders: wait for the URL.
        page.wait_for_url(lambda url, href=href: url.split("?")[0].endswith(href))
        page.get_by_role("heading", level=1).wait_for()
    page.get_by_role("heading", level=1, name="Welcome to Acme Sales").wait_for()

    # Workspace switching.
    page.get_by_role("button", name="Switch workspace").click()
    page.get_by_role("menuitem", name="Globex Support").click()
    page.get_by_test_id("current-workspace").filter(has_text=second.name).wait_for()
    assert "Welcome to Globex Support" in page.get_by_role("heading", level=1).inner_text()
    page.locator("[data-realtime=open]").wait_for()

    # Dark mode: the light system default, toggled, remembered across a reload — which also
    # proves the session survives a reload (a refresh with the HttpOnly session cookie).
    html = page.locator("html")
    assert "dark" not in (html.get_attribute("class") or "")
    page.get_by_role("button", name="Toggle dark mode").click()
    assert "dark" in html.get_attribute("class")
    page.reload()
    page.get_by_test_id("current-workspace").filter(has_text=second.name).wait_for()
    assert "dark" in html.get_attribute("class")
    assert page.evaluate("localStorage.getItem('ap.theme')") == "dark"

    # No domain data and no token in localStorage: the theme preference and the hint that a
    # session may exist; the refresh token is a cookie script cannot read.
    assert sorted(page.evaluate("Object.keys(localStorage)")) == ["ap.session", "ap.theme"]
    assert "ap_refresh" not in page.evaluate("document.cookie")

    # Logout.
    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    page.wait_for_url("**/login")
    assert page.evaluate("localStorage.getItem('ap.session')") is None
    assert [c for c in page.context.cookies() if c["name"] == "ap_refresh"] == []
    page.goto("/agents")
    page.wait_for_url("**/login?next=%2Fagents")


GUEST_PAGES = {
    "login": "/login",
    "register": "/register",
    "forgot-password": "/forgot-password",
    "reset-password": "/reset-password?token=example",
    "verify-email": "/verify-email",
}
APP_PAGES = {
    "dashboard": "/",
    "agents-empty": "/agents",
    "knowledge-empty": "/knowledge",
    "playground-empty": "/playground",
    "conversations-empty": "/conversations",
    "settings": "/settings",
    "not-found": "/no/such/page",
}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_every_page(open_context, account, viewport, scheme):
    user, _, _ = account
    _, page, _ = open_context(viewport=viewport, color_scheme=scheme, stubs=pending_endpoint_stubs(user))
    suffix = f"{scheme}-{viewport}"
    for name, path in GUEST_PAGES.items():
        page.goto(path)
        page.get_by_role("heading", level=1).wait_for()
        screenshot(page, f"{name}-{suffix}")

    log_in(page, user.email)
    for name, path in APP_PAGES.items():
        page.goto(path)
        page.get_by_role("heading").first.wait_for()
        page.wait_for_load_state("networkidle")
        screenshot(page, f"{name}-{suffix}")
    if viewport == "phone":
        page.get_by_role("button", name="Open navigation").click()
        page.get_by_role("button", name="Close navigation").wait_for()
        screenshot(page, f"navigation-{suffix}")
    else:
        page.get_by_role("button", name="Switch workspace").click()
        screenshot(page, f"workspace-menu-{suffix}")

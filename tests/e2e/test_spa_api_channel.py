"""Settings → API channel in real Chromium against the real server: an owner saves the webhook URL,
issues a key and reads it once, a server delivers a message with that key, the owner revokes it and
the same delivery is refused; the signing secret is rotated and shown once; a member sees the
explanation only. Screenshots of the tab in light/dark × desktop/phone."""

from __future__ import annotations

import pytest
import requests
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import api_key_issue, api_key_revoke
from agent_platform.tenancy import Role, workspace_scope
from conversations.models import ApiChannelSettings, Message
from conversations.services import api_channel_configure
from tests.accounts.factories import MembershipFactory, UserFactory, WorkspaceFactory
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
INGEST = "/api/channels/api/messages"


@pytest.fixture
def team():
    """An owner and a member of one workspace (committed: the server process must see them)."""
    owner = UserFactory(prefix="api-owner", verified=True)
    workspace = WorkspaceFactory(name="Acme Shop", owner=owner)
    member = MembershipFactory(
        workspace=workspace, user__prefix="api-member", user__verified=True, role=Role.MEMBER
    ).user
    return owner, member, workspace


def open_api_channel_tab(page) -> None:
    page.goto("/settings")
    page.get_by_role("tab", name="API channel").click()
    page.get_by_role("heading", name="How it works").wait_for()


def deliver(base_url: str, key: str, message_id: str) -> requests.Response:
    """What a customer's server does: one message on the API channel, authenticated by the key."""
    return requests.post(
        base_url + INGEST,
        json={
            "external_chat_id": "order-1042",
            "external_message_id": message_id,
            "text": "Do you ship to Lisbon?",
            "customer_name": "Ana Costa",
        },
        headers={"Authorization": f"Api-Key {key}"},
        timeout=10,
    )


def test_owner_configures_the_channel_and_a_server_uses_the_key(open_context, spa_server, team):
    owner, _, workspace = team
    context, page, console = open_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=spa_server)
    log_in(page, owner.email)
    open_api_channel_tab(page)
    page.get_by_text("No API keys yet.").wait_for()

    # The webhook URL: the API's field error beside the field, then a good URL saved.
    url_field = page.get_by_label("Webhook URL")
    url_field.fill("not a url")
    with console.expecting("status of 400"):
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Enter a valid URL.").wait_for()
    assert url_field.get_attribute("aria-invalid") == "true"
    url_field.fill("https://shop.example.com/hooks/ai-replies")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    with workspace_scope(workspace.pk):
        assert ApiChannelSettings.objects.get().webhook_url == "https://shop.example.com/hooks/ai-replies"
    assert page.get_by_label("Signing secret", exact=True).input_value().startswith("••••••••")

    # Issue a key: the whole key is shown once, read-only and copyable.
    page.get_by_label("Name").fill("Shop backend")
    page.get_by_label("Read conversations and their messages").check()
    page.get_by_role("button", name="Issue key").click()
    shown = page.get_by_label("API key “Shop backend”")
    key = shown.input_value()
    assert key.startswith("apk_") and len(key) > 40
    assert shown.get_attribute("readonly") is not None
    page.get_by_text("you will not see it again").wait_for()
    page.get_by_role("button", name="Copy").click()
    page.get_by_role("status").filter(has_text="Copied to the clipboard").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key
    row = page.get_by_role("list", name="API keys").get_by_role("listitem").filter(has_text="Shop backend")
    row.get_by_text(key[:16]).wait_for()  # the hint: the key's public start
    assert key not in row.inner_text()
    screenshot(page, "api-channel-key-issued-light-desktop")

    # A server delivers a customer message with it.
    response = deliver(spa_server, key, "msg-1")
    assert response.status_code == 201, response.text
    assert response.json()["message"]["text"] == "Do you ship to Lisbon?"
    with workspace_scope(workspace.pk):
        assert Message.objects.get().conversation.channel == "api"

    # Dismissed, the key is gone from the page for good.
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Issue key").wait_for()
    assert key not in page.content()

    # Revoke it (confirmed): the list says so, and the same delivery is refused.
    row.get_by_role("button", name="Revoke the key Shop backend").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Requests with this key are refused at once.").wait_for()
    dialog.get_by_role("button", name="Revoke").click()
    page.get_by_role("status").filter(has_text="Key revoked").wait_for()
    row.get_by_text("Revoked").wait_for()
    assert "last used" in row.inner_text()
    assert row.get_by_role("button", name="Revoke the key Shop backend").count() == 0
    refused = deliver(spa_server, key, "msg-2")
    assert refused.status_code == 401
    assert refused.json()["code"] == "api_key_invalid"
    with workspace_scope(workspace.pk):
        assert Message.objects.count() == 1

    # Rotate the signing secret (confirmed): the new one is shown once, then only its mask.
    page.get_by_role("button", name="Rotate secret").click()
    page.get_by_role("dialog").get_by_role("button", name="Rotate secret").click()
    secret = page.get_by_label("New signing secret").input_value()
    with workspace_scope(workspace.pk):
        assert ApiChannelSettings.objects.get().signing_secret == secret
    page.get_by_text("you will not see it again").wait_for()
    page.get_by_role("button", name="Done").click()
    page.get_by_label("New signing secret").wait_for(state="detached")
    masked = page.get_by_label("Signing secret", exact=True).element_handle()
    page.wait_for_function("([input, value]) => input.value === value", arg=[masked, "••••••••" + secret[-4:]])

    # After a reload the saved URL is still there.
    page.reload()
    page.get_by_role("tab", name="API channel").click()
    assert page.get_by_label("Webhook URL").input_value() == "https://shop.example.com/hooks/ai-replies"


def test_a_member_sees_the_explanation_without_forms(open_context, team):
    _, member, _ = team
    _, page, _ = open_context()
    log_in(page, member.email)
    open_api_channel_tab(page)
    panel = page.get_by_role("tabpanel")
    panel.get_by_text("Managed by owners and admins").wait_for()
    panel.get_by_text("Authorization: Api-Key apk_…").wait_for()
    assert panel.locator("form, input, textarea, select").count() == 0
    assert panel.get_by_role("button").count() == 0
    # No request the API would refuse a member was made: a 403 would be a console error (teardown).


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_api_channel_tab(open_context, team, viewport, scheme):
    owner, member, workspace = team
    with workspace_scope(workspace.pk):
        api_channel_configure(workspace=workspace, webhook_url="https://shop.example.com/hooks/ai-replies", user=owner)
        used, _ = api_key_issue(workspace=workspace, name="Shop backend", scopes=["channel_api"], actor=owner)
        ApiKey.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
        old, _ = api_key_issue(
            workspace=workspace, name="Old CRM sync", scopes=["channel_api", "conversations_read"], actor=owner
        )
        api_key_revoke(key=old, actor=owner)
    suffix = f"{scheme}-{viewport}"

    _, page, _ = open_context(viewport=viewport, color_scheme=scheme)
    log_in(page, owner.email)
    open_api_channel_tab(page)
    page.get_by_text("Old CRM sync").wait_for()
    screenshot(page, f"api-channel-{suffix}")
    page.get_by_label("Name").fill("Analytics export")
    page.get_by_role("button", name="Issue key").click()
    page.get_by_label("API key “Analytics export”").wait_for()
    page.get_by_role("button", name="Rotate secret").click()
    page.get_by_role("dialog").get_by_role("button", name="Rotate secret").click()
    page.get_by_label("New signing secret").wait_for()
    screenshot(page, f"api-channel-shown-once-{suffix}")

    _, member_page, _ = open_context(viewport=viewport, color_scheme=scheme)
    log_in(member_page, member.email)
    open_api_channel_tab(member_page)
    screenshot(member_page, f"api-channel-member-{suffix}")

"""Workspace API keys: issued once, stored hashed, limited to their scopes and their workspace."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuditLog
from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation, Message
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

INGEST = "/api/channels/api/messages"


def keys_url(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}/api-keys"


def issue(client, workspace, scopes=("channel_api", "conversations_read"), name="Shop backend") -> dict:
    response = client.post(keys_url(workspace), {"name": name, "scopes": list(scopes)}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def key_client(key: str, workspace=None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    if workspace is not None:
        client.defaults["HTTP_X_WORKSPACE"] = str(workspace.pk)
    return client


def deliver(client, mid="m-1", text="Do you ship to Lisbon?"):
    return client.post(INGEST, {"external_chat_id": "chat-1", "external_message_id": mid, "text": text}, format="json")


def test_key_is_shown_once_and_stored_as_a_hash(owner_client, workspace):
    issued = issue(owner_client, workspace)
    key = issued["key"]
    assert key.startswith("apk_") and issued["hint"] == f"{key[:16]}_…"
    assert sorted(issued["scopes"]) == ["channel_api", "conversations_read"]

    listed = owner_client.get(keys_url(workspace)).json()
    assert [row["id"] for row in listed] == [issued["id"]]
    assert "key" not in listed[0] and key not in str(listed)
    with workspace_scope(workspace.pk):
        row = ApiKey.objects.get()
        assert row.prefix == key[4:16]
        assert row.secret_hash == hashlib.sha256(key[17:].encode()).hexdigest()
        assert key not in str(ApiKey.objects.values().get())
        assert AuditLog.objects.filter(action="api_key.created", target_id=str(row.pk)).exists()


def test_a_key_delivers_messages_on_the_api_channel_and_reads_replies(owner_client, workspace):
    key = issue(owner_client, workspace)["key"]
    client = key_client(key)

    response = deliver(client)
    assert response.status_code == 201, response.json()
    assert deliver(client).json()["created"] is False  # idempotent, as with a person's token
    conversation_id = response.json()["message"]["conversation"]
    with workspace_scope(workspace.pk):
        assert Message.objects.get().text == "Do you ship to Lisbon?"
        assert Conversation.objects.get().channel == "api"
        assert ApiKey.objects.get().last_used_at is not None

    assert client.get("/api/conversations").json()["count"] == 1
    assert client.get("/api/conversations/summary").json()["unread"] == 1
    assert client.get(f"/api/conversations/{conversation_id}").status_code == 200
    messages = client.get(f"/api/conversations/{conversation_id}/messages").json()
    assert [m["text"] for m in messages["results"]] == ["Do you ship to Lisbon?"]


def test_a_key_does_only_what_its_scopes_allow(owner_client, workspace):
    read_only = key_client(issue(owner_client, workspace, scopes=["conversations_read"])["key"])
    assert deliver(read_only).status_code == 403
    assert read_only.get("/api/conversations").status_code == 200

    ingest_only = key_client(issue(owner_client, workspace, scopes=["channel_api"])["key"])
    assert deliver(ingest_only).status_code == 201
    assert ingest_only.get("/api/conversations").status_code == 403
    conversation_id = deliver(ingest_only, mid="m-2").json()["message"]["conversation"]

    both = key_client(issue(owner_client, workspace)["key"])
    # Acting as a person is never a key's business: writing as the team, configuring, managing.
    human = both.post(f"/api/conversations/{conversation_id}/messages", {"text": "Hi"}, format="json")
    assert human.status_code == 403 and human.json()["code"] == "role_forbidden"
    assert both.post(f"/api/conversations/{conversation_id}/handoff", {}, format="json").status_code == 403
    assert both.put("/api/channels/api/settings", {"webhook_url": "https://x.test/h"}, format="json").status_code == 403
    assert both.post("/api/channels/api/rotate-secret").status_code == 403
    # Endpoints that take no keys answer as if no credentials were sent.
    for path in ("/api/agents", "/api/knowledge/articles", keys_url(workspace), "/api/user/profile"):
        assert both.get(path).status_code == 401, path


def test_revoked_unknown_and_malformed_keys_are_refused_alike(owner_client, workspace):
    issued = issue(owner_client, workspace)
    client = key_client(issued["key"])
    assert deliver(client).status_code == 201

    assert owner_client.delete(f"{keys_url(workspace)}/{issued['id']}").status_code == 204
    tampered = issued["key"][:-4] + ("AAAA" if not issued["key"].endswith("AAAA") else "BBBB")
    for key in (issued["key"], tampered, "apk_nope", "Bearer-ish"):
        response = deliver(key_client(key), mid="m-2")
        assert response.status_code == 401, key
        assert response.json()["code"] == "api_key_invalid"
        assert response["Content-Type"].startswith("application/problem+json")
    with workspace_scope(workspace.pk):
        assert Message.objects.count() == 1
        assert ApiKey.objects.get().revoked_at is not None
    assert owner_client.get(keys_url(workspace)).json()[0]["revoked_at"] is not None


def test_only_admins_manage_keys(member_client, admin, workspace, stranger_client):
    assert member_client.post(keys_url(workspace), {"name": "x", "scopes": ["channel_api"]}).status_code == 403
    assert member_client.get(keys_url(workspace)).status_code == 403
    assert client_for(admin).get(keys_url(workspace)).status_code == 200
    assert stranger_client.get(keys_url(workspace)).status_code == 404


def test_bad_input_is_a_problem(owner_client, workspace):
    response = owner_client.post(keys_url(workspace), {"name": "", "scopes": ["root"]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and set(body["errors"]) == {"name", "scopes"}
    empty = owner_client.post(keys_url(workspace), {"name": "x", "scopes": []}, format="json")
    assert empty.status_code == 400 and "scopes" in empty.json()["errors"]


class TenancyTests:
    def test_a_key_sees_and_writes_only_its_own_workspace(self, owner_client, workspace, other_workspace):
        other_owner = other_workspace.memberships.get().user
        other_client = client_for(other_owner)
        theirs = key_client(issue(other_client, other_workspace)["key"])
        their_conversation = deliver(theirs, text="Globex question").json()["message"]["conversation"]

        my_key = issue(owner_client, workspace)["key"]
        mine = key_client(my_key)
        my_conversation = deliver(mine, text="Acme question").json()["message"]["conversation"]
        assert [c["id"] for c in mine.get("/api/conversations").json()["results"]] == [my_conversation]
        assert mine.get(f"/api/conversations/{their_conversation}").status_code == 404
        assert mine.get(f"/api/conversations/{their_conversation}/messages").status_code == 404
        # Naming the other workspace does not move the key there.
        assert key_client(my_key, other_workspace).get("/api/conversations").status_code == 404
        assert deliver(key_client(my_key, other_workspace), mid="m-9").status_code == 404
        with workspace_scope(workspace.pk):
            assert list(Message.objects.values_list("text", flat=True)) == ["Acme question"]
        with workspace_scope(other_workspace.pk):
            assert list(Message.objects.values_list("text", flat=True)) == ["Globex question"]

    def test_keys_of_another_workspace_are_invisible(self, owner_client, workspace, other_workspace):
        other_client = client_for(other_workspace.memberships.get().user)
        theirs = issue(other_client, other_workspace)
        assert owner_client.get(keys_url(workspace)).json() == []
        assert owner_client.delete(f"{keys_url(workspace)}/{theirs['id']}").status_code == 404
        assert owner_client.get(keys_url(other_workspace)).status_code == 404
        with workspace_scope(other_workspace.pk):
            assert ApiKey.objects.get().revoked_at is None

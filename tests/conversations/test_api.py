from unittest import mock

import pytest

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Conversation, Message
from tests.conftest import client_for
from tests.conversations.factories import CustomerMessageFactory

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/conversations"
INGEST = "/api/channels/api/messages"


def ingest(client, text, mid, chat="c-1"):
    return client.post(
        INGEST,
        {"external_chat_id": chat, "external_message_id": mid, "text": text, "customer_name": "Ana"},
        format="json",
    )


@pytest.fixture
def conversation(owner_client, workspace, make_agent):
    make_agent(approval_required=True)
    response = ingest(owner_client, "Do you deliver?", "m-1")
    assert response.status_code == 201, response.json()
    conversation_id = response.json()["message"]["conversation"]
    with workspace_scope(workspace.pk):
        services.conversation_process(conversation_id=conversation_id)
    return conversation_id


def test_ingest_is_idempotent(owner_client, workspace, make_agent):
    make_agent()
    assert ingest(owner_client, "hi", "dup-1").status_code == 201
    again = ingest(owner_client, "hi", "dup-1")
    assert again.status_code == 200 and again.json()["created"] is False


def test_list_filters_and_detail(owner_client, conversation, workspace):
    listed = owner_client.get(f"{CONVERSATIONS}?needs_approval=true").json()
    assert [c["id"] for c in listed["results"]] == [conversation]
    assert listed["results"][0]["status"] == "waiting_approval" and listed["results"][0]["unread_count"] == 1
    assert owner_client.get(f"{CONVERSATIONS}?status=closed").json()["count"] == 0
    assert owner_client.get(f"{CONVERSATIONS}?search=ana").json()["count"] == 1
    detail = owner_client.get(f"{CONVERSATIONS}/{conversation}").json()
    assert [m["author"] for m in detail["messages"]] == ["customer", "ai"]
    assert detail["messages"][1]["trace"][0]["step"] == "agent"
    page = owner_client.get(f"{CONVERSATIONS}/{conversation}/messages?page_size=1").json()
    assert len(page["results"]) == 1 and page["next"]


def test_approve_edit_reject_through_the_api(owner_client, member, conversation, workspace):
    with workspace_scope(workspace.pk):
        reply = Message.objects.get(author="ai")
    client = client_for(member)
    approved = client.post(
        f"{CONVERSATIONS}/{conversation}/messages/{reply.pk}/approve", {"text": "Yes, we do."}, format="json"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "queued" and approved.json()["text"] == "Yes, we do."
    again = client.post(f"{CONVERSATIONS}/{conversation}/messages/{reply.pk}/reject", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "message_state_conflict"


def test_human_message_handoff_resume_close(owner_client, conversation):
    sent = owner_client.post(f"{CONVERSATIONS}/{conversation}/messages", {"text": "Hello from Maria"}, format="json")
    assert sent.status_code == 201 and sent.json()["author"] == "human"
    assert owner_client.get(f"{CONVERSATIONS}/{conversation}").json()["status"] == "human"
    assert owner_client.post(f"{CONVERSATIONS}/{conversation}/resume-ai").json()["status"] == "open"
    assert (
        owner_client.post(f"{CONVERSATIONS}/{conversation}/handoff", {"reason": "VIP"}, format="json").json()["status"]
        == "human"
    )
    assert owner_client.post(f"{CONVERSATIONS}/{conversation}/close").json()["status"] == "closed"
    closed = owner_client.post(f"{CONVERSATIONS}/{conversation}/messages", {"text": "late"}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "conversation_closed"


def test_retry_only_failed_messages(owner_client, conversation, workspace):
    with workspace_scope(workspace.pk):
        reply = Message.objects.get(author="ai")
    response = owner_client.post(f"{CONVERSATIONS}/{conversation}/messages/{reply.pk}/retry")
    assert response.status_code == 409 and response.json()["code"] == "message_not_retryable"


def test_api_channel_settings_never_show_the_secret_twice(owner_client, workspace):
    rotated = owner_client.post("/api/channels/api/rotate-secret").json()["signing_secret"]
    assert len(rotated) > 30
    shown = owner_client.put(
        "/api/channels/api/settings", {"webhook_url": "https://hooks.example.com/ai"}, format="json"
    ).json()
    assert shown["webhook_url"] == "https://hooks.example.com/ai"
    assert rotated not in str(shown) and shown["signing_secret"].startswith("••••")


def test_detail_says_whether_older_messages_exist(owner_client, workspace):
    for i in range(50):
        assert ingest(owner_client, f"message {i:02}", f"m-{i}").status_code == 201
    conversation = owner_client.get(CONVERSATIONS).json()["results"][0]["id"]
    detail = owner_client.get(f"{CONVERSATIONS}/{conversation}").json()
    assert len(detail["messages"]) == 50 and detail["has_older_messages"] is False
    assert ingest(owner_client, "message 50", "m-50").status_code == 201
    detail = owner_client.get(f"{CONVERSATIONS}/{conversation}").json()
    assert detail["has_older_messages"] is True
    assert [m["text"] for m in detail["messages"]][::49] == ["message 01", "message 50"]


def test_summary_counts_the_whole_workspace(owner_client, conversation, workspace, other_workspace):
    # `conversation` holds a reply for approval; two more customers wrote, one of them twice.
    for chat, mid in (("c-2", "m-2"), ("c-3", "m-3"), ("c-3", "m-4")):
        assert ingest(owner_client, "Hello", mid, chat=chat).status_code == 201
    CustomerMessageFactory(workspace=other_workspace, external_chat_id="x", external_message_id="x", text="x")
    summary = owner_client.get(f"{CONVERSATIONS}/summary", {"status": "closed", "page_size": 1}).json()
    assert summary == {
        "unread": 4,
        "unread_conversations": 3,
        "needs_approval": 1,
        "open": 2,
        "waiting_approval": 1,
        "human": 0,
        "closed": 0,
    }
    owner_client.post(f"{CONVERSATIONS}/{conversation}/read")
    assert owner_client.get(f"{CONVERSATIONS}/summary").json()["unread"] == 3


def test_api_channel_settings_are_for_admins(member_client, workspace):
    for response in (
        member_client.get("/api/channels/api/settings"),
        member_client.put("/api/channels/api/settings", {"webhook_url": "https://x.example.com"}, format="json"),
        member_client.post("/api/channels/api/rotate-secret"),
    ):
        assert response.status_code == 403 and response.json()["code"] == "role_forbidden"


class IsolationTests:
    ROUTES = [
        ("get", ""),
        ("get", "/messages"),
        ("post", "/messages"),
        ("post", "/handoff"),
        ("post", "/resume-ai"),
        ("post", "/close"),
        ("post", "/read"),
    ]

    @pytest.mark.parametrize(("method", "suffix"), ROUTES)
    def test_stranger_gets_404(self, conversation, stranger_client, method, suffix):
        body = {"text": "x"} if suffix == "/messages" else {}
        response = getattr(stranger_client, method)(f"{CONVERSATIONS}/{conversation}{suffix}", body, format="json")
        assert response.status_code == 404

    def test_stranger_cannot_act_on_my_messages(self, conversation, stranger_client, workspace):
        with workspace_scope(workspace.pk):
            reply = Message.objects.get(author="ai")
        for verb in ("approve", "reject", "retry"):
            response = stranger_client.post(
                f"{CONVERSATIONS}/{conversation}/messages/{reply.pk}/{verb}", {}, format="json"
            )
            assert response.status_code == 404
        assert stranger_client.get(CONVERSATIONS).json()["count"] == 0
        with workspace_scope(workspace.pk):
            assert Message.objects.get(pk=reply.pk).status == "pending_approval"
            assert Conversation.objects.get(pk=conversation).status == "waiting_approval"

    def test_stranger_cannot_chat_with_my_agent(self, stranger_client, make_agent):
        agent = make_agent()
        assert (
            stranger_client.post(f"/api/playground/{agent.pk}/chat", {"text": "hi"}, format="json").status_code == 404
        )


def test_a_broker_outage_does_not_fail_a_stored_delivery(
    owner_client, workspace, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    outage = mock.patch("agent_platform.celery.app.send_task", side_effect=OperationalError("Connection refused"))
    with outage as send_task, django_capture_on_commit_callbacks(execute=True):
        response = ingest(owner_client, "Anyone there?", "m-outage")
    assert send_task.called
    assert response.status_code == 201, response.content
    assert any("broker is unreachable" in r.getMessage() for r in caplog.records)
    with workspace_scope(workspace.pk):
        assert Message.objects.get(external_id="m-outage").status == "received"  # the sweeper's to pick up
    assert ingest(owner_client, "Anyone there?", "m-outage").status_code == 200  # a retry is a duplicate

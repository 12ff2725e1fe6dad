"""End to end with a real Celery worker (through Redis) and the offline model: the playground, the
scheduled actions claimed by the beat task, and a websocket subscriber that sees every state change."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from agent_platform.asgi import application
from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from conversations.tasks import scheduled_actions_claim_task
from tests.conftest import access_token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_playground_chat_gets_a_grounded_reply_with_citations(
    celery_worker_process, owner_client, make_agent, kb_article
):
    article = kb_article()
    agent = make_agent()
    response = owner_client.post(
        f"/api/playground/{agent.pk}/chat", {"text": "How long does delivery take?"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert "3 business days" in body["reply"]["text"]
    knowledge = next(step for step in body["reply"]["trace"] if step["step"] == "knowledge")
    assert knowledge["chunks"][0]["article_id"] == article.pk
    assert knowledge["chunks"][0]["citation"].startswith("Delivery times")
    follow_up = owner_client.post(
        f"/api/playground/{agent.pk}/chat",
        {"text": "And express?", "conversation_id": body["conversation"]["id"]},
        format="json",
    ).json()
    assert follow_up["conversation"]["id"] == body["conversation"]["id"]


def test_a_subscriber_sees_each_state_change(celery_worker_process, owner, workspace, owner_client, make_agent):
    agent = make_agent(approval_required=True)
    token = access_token_for(owner)

    async def scenario():
        communicator = WebsocketCommunicator(application, f"/ws/?token={token}")
        assert (await communicator.connect(timeout=5))[0]
        await communicator.receive_json_from(timeout=5)  # connection.ready
        first = await asyncio.to_thread(
            owner_client.post, f"/api/playground/{agent.pk}/chat", {"text": "Hello"}, format="json"
        )
        conversation_id = first.json()["conversation"]["id"]
        await communicator.send_json_to({"type": "subscribe", "conversation": conversation_id})
        events = []
        # The worker's events (published after its commit) may come before or after "subscribed".
        while not {"subscribed", "approval.requested"} <= {e["type"] for e in events}:
            events.append(await communicator.receive_json_from(timeout=10))
        reply_id = first.json()["reply"]["id"]
        await asyncio.to_thread(
            owner_client.post, f"/api/conversations/{conversation_id}/messages/{reply_id}/approve", {}, format="json"
        )
        statuses = []
        while "sent" not in statuses:
            event = await communicator.receive_json_from(timeout=10)
            if event["type"] == "message.updated" and event["payload"]["id"] == reply_id:
                statuses.append(event["payload"]["status"])
        await communicator.disconnect()
        return events, statuses

    events, statuses = async_to_sync(scenario)()
    assert any(e["type"] == "approval.requested" for e in events), events
    assert statuses == ["queued", "sending", "sent"]


def test_delayed_reply_is_sent_by_the_beat_claim(celery_worker_process, owner_client, workspace, make_agent):
    agent = make_agent(response_delay_seconds=1)
    response = owner_client.post(f"/api/playground/{agent.pk}/chat", {"text": "Hi"}, format="json")
    assert response.status_code == 202 and response.json()["reply"] is None
    import time

    time.sleep(1.2)
    assert scheduled_actions_claim_task() == 1
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with workspace_scope(workspace.pk):
            reply = Message.objects.filter(author="ai", status="sent").first()
        if reply:
            break
        time.sleep(0.1)
    assert reply is not None

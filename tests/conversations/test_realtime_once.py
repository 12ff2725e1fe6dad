"""A socket watching a conversation gets each change of it once. The change also went to the
conversation's group, which every watcher receives on top of its workspace's group: a third of the
frames of a burst (bench/websocket_fanout), each refetching the inbox twice in the SPA."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from agent_platform import realtime
from agent_platform.asgi import application
from conversations.services.messages import publish_conversation
from tests.conftest import access_token_for
from tests.conversations.factories import ConversationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_watching_socket_gets_each_conversation_change_once(owner, workspace):
    conversation = ConversationFactory(workspace=workspace)
    token = access_token_for(owner)

    async def scenario():
        communicator = WebsocketCommunicator(application, f"/ws/?token={token}")
        assert (await communicator.connect(timeout=5))[0]
        assert (await communicator.receive_json_from(timeout=5))["type"] == "connection.ready"
        await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})
        assert (await communicator.receive_json_from(timeout=5))["type"] == "subscribed"
        await asyncio.to_thread(publish_conversation, conversation)
        event = await communicator.receive_json_from(timeout=5)
        assert event["type"] == "conversation.updated" and event["payload"]["id"] == conversation.pk
        duplicate = await communicator.receive_nothing(timeout=1)
        await communicator.disconnect()
        return duplicate

    assert async_to_sync(scenario)(), "the watching socket got conversation.updated twice"
    assert realtime.flush(timeout=5)

"""The workspace websocket: JWT-authenticated, joined to its workspace group, everyone else rejected."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from agent_platform import realtime
from agent_platform.asgi import application
from agent_platform.consumers import CLOSE_NO_WORKSPACE, CLOSE_UNAUTHENTICATED, WorkspaceConsumer
from agent_platform.tenancy import Role
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import access_token_for

pytestmark = pytest.mark.django_db(transaction=True)


def run(scenario):
    return async_to_sync(scenario)()


async def _connect(path: str):
    communicator = WebsocketCommunicator(application, path)
    connected, close_code = await communicator.connect(timeout=5)
    return communicator, connected, close_code


def test_valid_token_in_query_joins_the_workspace_group(owner, workspace):
    token = access_token_for(owner)

    async def scenario():
        communicator, connected, _ = await _connect(f"/ws/?token={token}")
        assert connected
        ready = await communicator.receive_json_from(timeout=5)
        assert ready == {
            "type": "connection.ready",
            "payload": {"workspace": workspace.pk, "user": owner.pk, "role": "owner"},
        }
        await asyncio.to_thread(realtime.publish_now, realtime.group(workspace.pk), "agent.toggled", {"id": 7})
        assert await communicator.receive_json_from(timeout=5) == {"type": "agent.toggled", "payload": {"id": 7}}
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
        await communicator.disconnect()

    run(scenario)


def test_published_events_arrive_in_order(owner, workspace):
    """publish_now only queues (no waiting on Redis): one background sender per process keeps the order."""
    token = access_token_for(owner)

    def publish_many():
        for number in range(40):
            realtime.publish_now(realtime.group(workspace.pk), "message.updated", {"n": number})

    async def scenario():
        communicator, connected, _ = await _connect(f"/ws/?token={token}")
        assert connected
        await communicator.receive_json_from(timeout=5)  # connection.ready
        await asyncio.to_thread(publish_many)
        received = [(await communicator.receive_json_from(timeout=5))["payload"]["n"] for _ in range(40)]
        await communicator.disconnect()
        return received

    assert run(scenario) == list(range(40))
    assert realtime.flush(timeout=5)


def test_invalid_token_is_rejected_at_the_handshake(db):
    async def scenario():
        _, connected, close_code = await _connect("/ws/?token=forged.jwt.value")
        assert not connected
        assert close_code == CLOSE_UNAUTHENTICATED

    run(scenario)


def test_first_message_authentication(owner, workspace):
    token = access_token_for(owner)

    async def scenario():
        communicator, connected, _ = await _connect("/ws/")
        assert connected
        await communicator.send_json_to({"type": "auth", "token": token})
        assert (await communicator.receive_json_from(timeout=5))["type"] == "connection.ready"
        await communicator.disconnect()

    run(scenario)


def test_without_authentication_the_socket_is_closed(db):
    async def scenario():
        communicator, connected, _ = await _connect("/ws/")
        assert connected
        await communicator.send_json_to({"type": "subscribe", "group": "ws.1"})
        assert await communicator.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": CLOSE_UNAUTHENTICATED,
        }

    run(scenario)


def test_silent_unauthenticated_socket_times_out(db, monkeypatch):
    monkeypatch.setattr(WorkspaceConsumer, "auth_timeout_seconds", 0.2)

    async def scenario():
        communicator, connected, _ = await _connect("/ws/")
        assert connected
        assert await communicator.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": CLOSE_UNAUTHENTICATED,
        }

    run(scenario)


def test_user_cannot_join_a_workspace_they_do_not_belong_to(workspace, stranger):
    token = access_token_for(stranger)

    async def scenario():
        _, connected, close_code = await _connect(f"/ws/?token={token}&workspace={workspace.pk}")
        assert not connected
        assert close_code == CLOSE_NO_WORKSPACE

    run(scenario)


def test_events_of_another_workspace_never_arrive(owner, workspace, other_workspace):
    token = access_token_for(owner)

    async def scenario():
        communicator, connected, _ = await _connect(f"/ws/?token={token}")
        assert connected
        await communicator.receive_json_from(timeout=5)
        await asyncio.to_thread(realtime.publish_now, realtime.group(other_workspace.pk), "agent.toggled", {"id": 1})
        assert await communicator.receive_nothing(timeout=0.5)
        await communicator.disconnect()

    run(scenario)


def test_user_without_any_workspace_is_rejected(db):
    token = access_token_for(UserFactory(prefix="lonely"))

    async def scenario():
        _, connected, close_code = await _connect(f"/ws/?token={token}")
        assert not connected and close_code == CLOSE_NO_WORKSPACE

    run(scenario)


def test_a_password_change_closes_the_users_older_sockets(owner, workspace, other_workspace):
    """Other sessions end at once: a socket opened with an older token is closed (4401), in every
    workspace; a socket opened with the new token stays."""

    from accounts.services import password_change

    MembershipFactory(workspace=other_workspace, user=owner, role=Role.MEMBER)
    old_token = access_token_for(owner)

    async def scenario():
        here, connected, _ = await _connect(f"/ws/?token={old_token}&workspace={workspace.pk}")
        there, also_connected, _ = await _connect(f"/ws/?token={old_token}&workspace={other_workspace.pk}")
        assert connected and also_connected
        await here.receive_json_from(timeout=5)
        await there.receive_json_from(timeout=5)

        def change():
            return password_change(
                user=type(owner).objects.get(pk=owner.pk),
                current_password="correct horse battery",
                new_password="a fresh passphrase 42",
            )

        new_tokens = await asyncio.to_thread(change)
        for socket in (here, there):
            assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
        fresh, connected, _ = await _connect(f"/ws/?token={new_tokens.access_token}&workspace={workspace.pk}")
        assert connected
        await fresh.receive_json_from(timeout=5)
        await asyncio.to_thread(realtime.publish_now, realtime.group(workspace.pk), "agent.toggled", {"id": 1})
        assert await fresh.receive_json_from(timeout=5) == {"type": "agent.toggled", "payload": {"id": 1}}
        await fresh.disconnect()

    run(scenario)


def test_a_logout_closes_the_sockets_of_that_session_only(owner, workspace):
    """Both ways of authenticating a socket: the logged-out session's sockets close (4401); another
    session of the same user keeps its socket."""
    from accounts.services import auth_login, auth_logout
    from agent_platform.request_context import RequestOrigin, request_origin

    type(owner).objects.filter(pk=owner.pk).update(email_verified_at=timezone.now())

    def log_in():
        with request_origin(RequestOrigin(ip_address="127.0.0.1")):
            return auth_login(email=owner.email, password="correct horse battery")[1]

    ending, staying = log_in(), log_in()

    async def scenario():
        by_query, connected, _ = await _connect(f"/ws/?token={ending.access_token}")
        assert connected
        await by_query.receive_json_from(timeout=5)
        by_message, connected, _ = await _connect("/ws/")
        await by_message.send_json_to({"type": "auth", "token": str(ending.access_token)})
        await by_message.receive_json_from(timeout=5)
        other, connected, _ = await _connect(f"/ws/?token={staying.access_token}")
        await other.receive_json_from(timeout=5)

        await asyncio.to_thread(auth_logout, refresh=str(ending))
        for socket in (by_query, by_message):
            assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
        await asyncio.to_thread(realtime.publish_now, realtime.group(workspace.pk), "agent.toggled", {"id": 2})
        assert await other.receive_json_from(timeout=5) == {"type": "agent.toggled", "payload": {"id": 2}}
        await other.disconnect()

    run(scenario)


def test_an_idle_socket_stays_open_past_the_channel_layers_blocking_read(owner, workspace):
    """channels_redis waits for messages with a blocking read of up to 5 s; redis-py 8's default
    5 s socket timeout made that read fail on every idle socket (closed 1011 every ~5 s)."""
    token = access_token_for(owner)

    async def scenario():
        communicator, connected, _ = await _connect(f"/ws/?token={token}")
        assert connected
        await communicator.receive_json_from(timeout=5)  # connection.ready
        assert await communicator.receive_nothing(timeout=7, interval=0.5)  # idle past the read
        await asyncio.to_thread(realtime.publish_now, realtime.group(workspace.pk), "agent.toggled", {"id": 3})
        assert await communicator.receive_json_from(timeout=5) == {"type": "agent.toggled", "payload": {"id": 3}}
        await communicator.disconnect()

    run(scenario)

"""The workspace websocket: `/ws/` joins an authenticated member to their workspace's group.
Send `{"type": "subscribe", "<kind>": <id>}` (e.g. `"conversation": 12`) to also receive one
object's events; the kinds, and the check that the object is in the socket's workspace, are
registered by the apps (`realtime.subscription_kind_register`), so this platform-level consumer
imports no app. Memberships are resolved by `settings.WORKSPACE_MEMBERSHIP_RESOLVER`, as in the API.

Authenticate with `?token=<access JWT>` (rejected at the handshake when invalid) or with a first
message `{"type": "auth", "token": "<access JWT>"}` within AUTH_TIMEOUT seconds (closed with 4401
otherwise). Pick the workspace with `?workspace=<id>` when the user has several.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.module_loading import import_string

from agent_platform import realtime
from agent_platform.errors import DomainError
from agent_platform.tenancy import workspace_scope
from agent_platform.ws_auth import session_of_access_token, user_for_access_token

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NO_WORKSPACE = 4404


def _visible(workspace_id: int, kind: str, obj_id: int) -> bool:
    with workspace_scope(workspace_id):
        return realtime.subscription_visible(kind, obj_id)


class WorkspaceConsumer(AsyncJsonWebsocketConsumer):
    auth_timeout_seconds = 10.0

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        self.workspace_id: int | None = None
        self._auth_timer: asyncio.TimerHandle | None = None
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            membership = await self._membership(user)
            if membership is None:
                await self.close(code=CLOSE_NO_WORKSPACE)
                return
            await self.accept()
            await self._join(user, membership, self.scope.get("session_id"))
        elif self.scope.get("token_offered"):
            await self.close(code=CLOSE_UNAUTHENTICATED)  # rejected at the handshake
        else:
            await self.accept()
            self._auth_timer = asyncio.get_running_loop().call_later(
                self.auth_timeout_seconds, lambda: asyncio.ensure_future(self.close(code=CLOSE_UNAUTHENTICATED))
            )

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if self.workspace_id is None:
            await self._authenticate(content if kind == "auth" else {})
            return
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in ("subscribe", "unsubscribe"):
            for subject in realtime.subscription_kinds():
                if isinstance(content.get(subject), int) and not isinstance(content[subject], bool):
                    await self._subscription(kind, subject, content[subject])

    async def _subscription(self, kind: str, subject: str, obj_id: int) -> None:
        """Join or leave one object's group (a conversation's messages, typing, approvals); only an
        object of this socket's workspace can be joined."""
        name = realtime.group(self.workspace_id, subject, obj_id)
        if kind == "unsubscribe":
            await self.channel_layer.group_discard(name, self.channel_name)
            return
        if not await database_sync_to_async(_visible)(self.workspace_id, subject, obj_id):
            await self.send_json({"type": "error", "payload": {"code": "not_found", subject: obj_id}})
            return
        await self.channel_layer.group_add(name, self.channel_name)
        self.groups_joined.append(name)
        await self.send_json({"type": "subscribed", "payload": {subject: obj_id}})

    async def _authenticate(self, content: dict) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
        token = content.get("token")
        user = await database_sync_to_async(user_for_access_token)(token) if isinstance(token, str) else None
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        membership = await self._membership(user)
        if membership is None:
            await self.close(code=CLOSE_NO_WORKSPACE)
            return
        await self._join(user, membership, session_of_access_token(token))

    async def _membership(self, user):
        requested = (parse_qs(self.scope.get("query_string", b"").decode()).get("workspace") or [None])[0]
        try:
            resolve = import_string(settings.WORKSPACE_MEMBERSHIP_RESOLVER)
            return await database_sync_to_async(resolve)(user=user, requested=requested)
        except DomainError:
            return None

    async def _join(self, user, membership, session_id: str | None) -> None:
        self.workspace_id = membership.workspace_id
        self.scope["user"] = user
        # The token was accepted, so it is of the user's current session generation.
        self.session_generation = user.session_generation
        self.session_id = session_id
        groups = (
            realtime.group(self.workspace_id),
            realtime.group(self.workspace_id, "user", user.pk),
            realtime.user_group(user.pk),
        )
        for name in groups:
            await self.channel_layer.group_add(name, self.channel_name)
            self.groups_joined.append(name)
        await self.send_json(
            {
                "type": "connection.ready",
                "payload": {"workspace": self.workspace_id, "user": user.pk, "role": membership.role},
            }
        )

    async def disconnect(self, code: int) -> None:
        if getattr(self, "_auth_timer", None) is not None:
            self._auth_timer.cancel()
        for name in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(name, self.channel_name)

    async def session_revoked(self, event: dict) -> None:
        """The user's password changed (a socket opened with an older token may not listen on), or
        the session its token belongs to was logged out."""
        older = event.get("generation", 0) > self.session_generation
        logged_out = event.get("session") is not None and event["session"] == self.session_id
        if older or logged_out:
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def realtime_event(self, event: dict) -> None:
        await self.send_json({"type": event["event"], "payload": event["payload"]})

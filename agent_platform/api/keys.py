"""Workspace API keys as a request principal: what a key may do, and who it is to the views.

A key belongs to one workspace and carries scopes, not a role. A workspace viewset accepts keys
only for the actions it lists in `api_key_scopes` ({action: scope}); everything else answers as if
no credentials were sent. The keys themselves (hashed rows, issue/revoke) live in `accounts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from rest_framework.permissions import SAFE_METHODS

API_KEY_HEADER_PREFIX = "Api-Key"


class ApiKeyScope(models.TextChoices):
    CHANNEL_API = "channel_api", "Deliver customer messages on the API channel"
    CONVERSATIONS_READ = "conversations_read", "Read conversations and their messages"


READ_ONLY_SCOPES = frozenset({ApiKeyScope.CONVERSATIONS_READ})


@dataclass(frozen=True, eq=False)
class ApiKeyPrincipal:
    """`request.user` for a request made with an API key (it is not a person)."""

    key: Any  # accounts.models.ApiKey

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    @property
    def pk(self) -> str:
        # Throttles key their counters on the user's pk: each key gets its own.
        return f"api-key:{self.key.pk}"

    @property
    def workspace_id(self) -> int:
        return self.key.workspace_id

    def allows(self, scope: str | None, method: str) -> bool:
        if scope is None or scope not in self.key.scopes:
            return False
        return method in SAFE_METHODS or scope not in READ_ONLY_SCOPES

    def __str__(self) -> str:
        return f"API key {self.key.prefix}"

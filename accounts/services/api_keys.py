"""Workspace API keys: issue (shown once), revoke, and authenticate a presented key."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import timedelta

from django.utils import timezone

from accounts.exceptions import ApiKeyInvalid
from accounts.models import ApiKey, User, Workspace
from accounts.services.audit import audit_record
from agent_platform.crypto import secret_digest
from agent_platform.tenancy import workspace_scope

_KEY = re.compile(r"^apk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$")
# Recording every use would be a write per request; a minute is precise enough to spot an unused key.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_key_issue(*, workspace: Workspace, name: str, scopes: list[str], actor: User) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is never stored and cannot be shown again."""
    prefix = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    with workspace_scope(workspace.pk):
        key = ApiKey.objects.create(
            workspace=workspace,
            name=name,
            prefix=prefix,
            secret_hash=secret_digest(secret),
            scopes=sorted(set(scopes)),
            created_by=actor,
        )
    audit_record(
        action="api_key.created",
        actor=actor,
        workspace=workspace,
        target=key,
        after={"name": name, "scopes": key.scopes},
    )
    return key, f"apk_{prefix}_{secret}"


def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(action="api_key.revoked", actor=actor, workspace=key.workspace, target=key)
    return key


def api_key_authenticate(*, presented: str) -> ApiKey:
    """The live key matching `presented` (raises `ApiKeyInvalid` for anything else).

    The one lookup across workspaces outside the admin: the key is what names the workspace.
    """
    match = _KEY.match(presented.strip())
    key = None
    if match:
        key = (
            ApiKey.objects.unscoped_across_workspaces()
            .select_related("workspace")
            .filter(prefix=match[1], revoked_at__isnull=True)
            .first()
        )
    # Compared in constant time; an unknown prefix still pays for one digest.
    expected = key.secret_hash if key else secret_digest("")
    if not (match and hmac.compare_digest(expected, secret_digest(match[2])) and key is not None):
        raise ApiKeyInvalid("This API key is unknown, malformed or revoked.")
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.unscoped_across_workspaces().filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key

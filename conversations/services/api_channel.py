"""The generic API channel's settings: the webhook replies are posted to and its signing secret."""

from __future__ import annotations

import secrets

from accounts.models import User, Workspace
from accounts.services import audit_record
from conversations.models import ApiChannelSettings


def api_channel_configure(*, workspace: Workspace, webhook_url: str, user: User | None) -> ApiChannelSettings:
    row = ApiChannelSettings.objects.first() or ApiChannelSettings(
        workspace=workspace, signing_secret=secrets.token_urlsafe(32)
    )
    row.webhook_url = webhook_url
    row.save()
    audit_record(
        action="api_channel.configured", actor=user, workspace=workspace, target=row, after={"webhook_url": webhook_url}
    )
    return row


def api_channel_rotate_secret(*, workspace: Workspace, user: User | None) -> ApiChannelSettings:
    row = ApiChannelSettings.objects.first() or ApiChannelSettings(workspace=workspace)
    row.signing_secret = secrets.token_urlsafe(32)
    row.save()
    audit_record(action="api_channel.secret_rotated", actor=user, workspace=workspace, target=row)
    return row

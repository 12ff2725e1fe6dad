"""The generic API channel's settings: the webhook replies are posted to and its signing secret."""

from __future__ import annotations

import secrets

from django.db import transaction

from accounts.models import User, Workspace
from accounts.services import audit_record
from billing.services import counted_quota_check, plan_usage_changed
from billing.types import QuotaMetric
from conversations.models import ApiChannelSettings


@transaction.atomic
def api_channel_configure(*, workspace: Workspace, webhook_url: str, user: User | None) -> ApiChannelSettings:
    """Set the webhook replies go to. Giving the channel its first webhook connects it: one of the
    plan's channels / integrations (QuotaLimitReached when none is left)."""
    row = ApiChannelSettings.objects.select_for_update().first() or ApiChannelSettings(
        workspace=workspace, signing_secret=secrets.token_urlsafe(32)
    )
    if webhook_url and not row.webhook_url:
        counted_quota_check(workspace=workspace, metric=QuotaMetric.CHANNELS)
    row.webhook_url = webhook_url
    row.save()
    plan_usage_changed(workspace.pk)  # the plan's channels count the webhook
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

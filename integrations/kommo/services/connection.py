"""Connecting a Kommo account and letting it go (KOMMO.md A1): the OAuth popup (authorize URL with a
`state` bound to the workspace and the user, the callback's code exchange, the marketplace
`from_widget` install), the private integration's long-lived token, disconnect, and the signed
"access revoked" hook Kommo calls when someone disables the integration there."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User, Workspace
from accounts.services import audit_record, notify
from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from agent_platform.crypto import secret_digest
from agent_platform.errors import InvalidInput
from agent_platform.tenancy import Role, entry_point_rows, workspace_scope
from billing.services import counted_quota_check, plan_usage_changed
from billing.types import QuotaMetric
from integrations.kommo.client import KommoClient, StaticToken, TokenPair, base_url_for, oauth_token
from integrations.kommo.exceptions import (
    KommoAlreadyConnected,
    KommoError,
    KommoNotConnected,
    OAuthStateInvalid,
    SignatureInvalid,
)
from integrations.kommo.models import KommoIntegration
from integrations.kommo.selectors import CHANNEL_HOLDING, chats_hook_url
from integrations.kommo.services.chats import chats_connect, chats_disconnect
from integrations.kommo.services.sync import sync_run, sync_start
from integrations.kommo.services.tokens import (
    client_for,
    client_secret_of,
    domain_checked,
    integration_mark_error,
    tokens_store,
)
from integrations.kommo.services.webhooks import webhook_register, webhook_url

log = logging.getLogger(__name__)

STATE_SALT = "integrations.kommo.oauth-state"
STATE_MAX_AGE = 20 * 60  # as long as Kommo's authorization code lives


class KommoNotConfigured(KommoNotConnected):
    code, title = "kommo_oauth_not_configured", "The platform has no Kommo OAuth integration"


# -- OAuth -----------------------------------------------------------------------------------------


def oauth_authorize(*, workspace: Workspace, user: User, mode: str = "popup") -> dict[str, str]:
    """The consent page to open (popup or redirect) and the `state` that ties its answer to this
    workspace and this user; valid for 20 minutes, once."""
    if not (settings.KOMMO_CLIENT_ID and settings.KOMMO_CLIENT_SECRET):
        raise KommoNotConfigured(
            "Set KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET to connect with OAuth, or connect a private "
            "integration with its long-lived token."
        )
    # No trip to Kommo's consent page when the plan has no room for it.
    with workspace_scope(workspace.pk), transaction.atomic():
        _channel_room(workspace, KommoIntegration.objects.filter(workspace=workspace).first())
    state = signing.dumps({"w": workspace.pk, "u": user.pk, "n": secrets.token_urlsafe(12)}, salt=STATE_SALT)
    query = urlencode({"client_id": settings.KOMMO_CLIENT_ID, "state": state, "mode": mode})
    return {"authorize_url": f"{settings.KOMMO_OAUTH_URL}?{query}", "state": state}


def _state_read(state: str) -> tuple[Workspace, User]:
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        raise OAuthStateInvalid("The authorization expired or was not started here; connect again.") from None
    if not cache.add(f"kommo:oauth-state:{data['n']}", 1, STATE_MAX_AGE):
        raise OAuthStateInvalid("This authorization was already used; connect again.")
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace_id=data["w"], user_id=data["u"], role__in=[Role.ADMIN, Role.OWNER])
        .first()
    )
    if membership is None or not membership.user.is_active:
        raise OAuthStateInvalid("Only an admin of the workspace can connect Kommo.")
    return membership.workspace, membership.user


def oauth_callback(*, code: str, referer: str, state: str = "", from_widget: bool = False) -> KommoIntegration | None:
    """Kommo's redirect after consent: exchange the single-use code at the account's domain."""
    domain = domain_checked(referer)
    if from_widget:
        return _widget_install(code=code, domain=domain)
    workspace, user = _state_read(state)
    pair = oauth_token(
        base_url_for(domain),
        client_id=settings.KOMMO_CLIENT_ID,
        client_secret=settings.KOMMO_CLIENT_SECRET,
        redirect_uri=settings.KOMMO_REDIRECT_URI,
        grant_type="authorization_code",
        code=code,
    )
    with workspace_scope(workspace.pk):
        return _connected(
            workspace=workspace,
            user=user,
            domain=domain,
            auth_kind=KommoIntegration.AuthKind.OAUTH,
            client_id=settings.KOMMO_CLIENT_ID,
            client_secret="",
            pair=pair,
        )


def _widget_install(*, code: str, domain: str) -> KommoIntegration | None:
    """Installed from a widget in Kommo's marketplace: no `state`, so no workspace of ours is known.
    A reinstall into an account a workspace already connected renews that connection's tokens;
    otherwise nothing is stored (the admin connects from the Integrations page)."""
    pair = oauth_token(
        base_url_for(domain),
        client_id=settings.KOMMO_CLIENT_ID,
        client_secret=settings.KOMMO_CLIENT_SECRET,
        redirect_uri=settings.KOMMO_REDIRECT_URI,
        grant_type="authorization_code",
        code=code,
    )
    account = KommoClient(base_url=base_url_for(domain), tokens=StaticToken(pair.access_token), rate_key=domain)
    account_id = account.account().get("id")
    for row in entry_point_rows(KommoIntegration, account_id=account_id, client_id=settings.KOMMO_CLIENT_ID):
        with transaction.atomic():
            tokens_store(row, pair)
            row.base_domain, row.status = domain, KommoIntegration.Status.CONNECTED
            row.save()
            enqueue_on_commit("integrations.tasks.kommo_connected_task", row.workspace_id, row.pk)
        return row
    log.info("Kommo marketplace install for an account no workspace connected", extra={"account": account_id})
    return None


# -- a private integration's long-lived token ------------------------------------------------------


def connect_long_lived(
    *, workspace: Workspace, user: User, base_domain: str, access_token: str, client_id: str, client_secret: str
) -> KommoIntegration:
    """Connect a private integration with its long-lived token (no refresh; it acts with the rights of
    the admin who made it). Its client id and secret verify Salesbot's requests and the revoke hook."""
    return _connected(
        workspace=workspace,
        user=user,
        domain=domain_checked(base_domain),
        auth_kind=KommoIntegration.AuthKind.LONG_LIVED,
        client_id=client_id,
        client_secret=client_secret,
        pair=TokenPair(access_token=access_token, refresh_token="", expires_in=0),
    )


def _connected(
    *,
    workspace: Workspace,
    user: User,
    domain: str,
    auth_kind: str,
    client_id: str,
    client_secret: str,
    pair: TokenPair,
) -> KommoIntegration:
    """Check the token against the account (and learn which account it is), then store the
    connection; webhooks and the first sync follow in a task."""
    account = KommoClient(base_url=base_url_for(domain), tokens=StaticToken(pair.access_token), rate_key=domain)
    details = account.account()
    with transaction.atomic():
        row = KommoIntegration.objects.select_for_update().filter(workspace=workspace).first()
        if (
            row is not None
            and row.status in (KommoIntegration.Status.CONNECTED, KommoIntegration.Status.ERROR)
            and row.account_id not in (None, details.get("id"))
        ):
            raise KommoAlreadyConnected(
                f"This workspace is connected to {row.base_domain}; disconnect it before connecting another account."
            )
        _channel_room(workspace, row)
        row = row or KommoIntegration(workspace=workspace)
        webhook_secret = secrets.token_urlsafe(32)  # a new URL: one that leaked before does not come back
        row.status, row.auth_kind = KommoIntegration.Status.CONNECTED, auth_kind
        row.base_domain, row.client_id, row.client_secret = domain, client_id, client_secret
        row.account_id = details.get("id")
        row.account_subdomain = str(details.get("subdomain") or domain.split(".", 1)[0])
        row.account_name = str(details.get("name") or "")
        row.amojo_id = str(details.get("amojo_id") or "")
        row.webhook_secret, row.webhook_secret_digest = webhook_secret, secret_digest(webhook_secret)
        row.webhook_destination, row.webhook_registered_at = "", None
        row.connected_by, row.connected_at, row.disconnected_at = user, timezone.now(), None
        tokens_store(row, pair)
        row.save()
        audit_record(
            action="integration.kommo_connected",
            actor=user,
            workspace=workspace,
            target=row,
            metadata={"account_id": row.account_id, "domain": domain, "auth": auth_kind},
        )
        enqueue_on_commit("integrations.tasks.kommo_connected_task", workspace.pk, row.pk)
        realtime.publish(workspace.pk, "integration.updated", {"provider": "kommo", "status": row.status})
    return row


def _channel_room(workspace: Workspace, row: KommoIntegration | None) -> None:
    """A Kommo account not connected now takes one of the plan's channels: QuotaLimitReached when
    none is left (reconnecting one that holds its place is always allowed)."""
    if row is None or row.status not in CHANNEL_HOLDING:
        counted_quota_check(workspace=workspace, metric=QuotaMetric.CHANNELS)


# -- letting go --------------------------------------------------------------------------------------


def disconnect(*, integration: KommoIntegration, user: User | None) -> KommoIntegration:
    """Stop everything: unsubscribe the webhooks (best effort: Kommo may already refuse us), forget the
    tokens, and retire the webhook URL so nothing reaches the workspace through it again."""
    if integration.status == KommoIntegration.Status.DISCONNECTED:
        raise KommoNotConnected("Kommo is not connected.")
    if integration.webhook_destination and integration.status == KommoIntegration.Status.CONNECTED:
        try:
            client_for(integration).webhook_unsubscribe(integration.webhook_destination)
        except Exception as exc:  # the disconnect must happen whatever Kommo answers
            log.warning("Kommo webhook unsubscribe failed", extra={"integration": integration.pk, "error": str(exc)})
    if integration.status == KommoIntegration.Status.CONNECTED:
        chats_disconnect(integration)
    _forget(integration, status=KommoIntegration.Status.DISCONNECTED)
    audit_record(
        action="integration.kommo_disconnected", actor=user, workspace=integration.workspace, target=integration
    )
    return integration


def _forget(integration: KommoIntegration, *, status: str) -> None:
    with transaction.atomic():
        integration.status = status
        integration.access_token, integration.refresh_token, integration.access_expires_at = "", "", None
        integration.webhook_secret_digest = secret_digest(secrets.token_urlsafe(32))  # nobody knows this one
        integration.webhook_destination, integration.webhook_registered_at = "", None
        integration.disconnected_at = timezone.now()
        integration.save()
        plan_usage_changed(integration.workspace_id)  # one channel of the plan's is free again
        realtime.publish(integration.workspace_id, "integration.updated", {"provider": "kommo", "status": status})


def revoke_signature(*, client_uuid: str, account_id: str, client_secret: str) -> str:
    """KOMMO.md A1 [M]: HMAC-SHA256 of "client_uuid|account_id" with the integration's secret, hex."""
    return hmac.new(client_secret.encode(), f"{client_uuid}|{account_id}".encode(), hashlib.sha256).hexdigest()


def access_revoked(*, account_id: str, client_uuid: str, signature: str) -> int:
    """Kommo's "access revoked" hook: every connection of that account through that integration whose
    secret signs the notice is revoked. A notice no secret verifies is refused (and changes nothing)."""
    if not (account_id.isdigit() and client_uuid and signature):
        raise SignatureInvalid("The notice is incomplete.")
    revoked = 0
    for row in entry_point_rows(KommoIntegration, account_id=int(account_id), client_id=client_uuid):
        expected = revoke_signature(client_uuid=client_uuid, account_id=account_id, client_secret=client_secret_of(row))
        if not hmac.compare_digest(expected, signature.lower()) or row.status == KommoIntegration.Status.DISCONNECTED:
            continue
        row.last_errors = [
            {
                "at": timezone.now().isoformat(),
                "where": "auth",
                "detail": "Access was revoked in Kommo (the integration was disabled there).",
            },
            *row.last_errors,
        ][:20]
        _forget(row, status=KommoIntegration.Status.REVOKED)
        audit_record(action="integration.kommo_revoked", workspace=row.workspace, target=row)
        notify(
            workspace=row.workspace,
            kind="integration_revoked",
            title="Kommo access was revoked",
            body="Someone disabled the integration in Kommo. Replies on Kommo channels have stopped; connect again.",
            payload={"provider": "kommo"},
        )
        revoked += 1
    if not revoked:
        raise SignatureInvalid("No connection verifies this notice.")
    return revoked


def connection_setup(*, integration_id: int) -> KommoIntegration | None:
    """After connecting (a task): subscribe the webhooks, then the first sync. A refusal is recorded
    on the integration (Kommo offers API webhooks on its Advanced and Enterprise plans only) and the
    sync runs anyway: the Integrations page shows both."""
    integration = KommoIntegration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active:
        return None
    try:
        webhook_register(integration)
    except KommoError as exc:
        integration_mark_error(integration, f"Webhooks not registered: {exc.detail}", where="webhook")
    if integration.reply_route == KommoIntegration.ReplyRoute.CHATS_API:
        try:
            chats_connect(integration)  # Kommo asks for it again after every reinstall
        except KommoError as exc:
            integration_mark_error(integration, f"Chats API channel not connected: {exc.detail}", where="chats")
    sync_start(integration=integration)
    return sync_run(integration_id=integration.pk)


def settings_update(
    *,
    integration: KommoIntegration,
    user: User | None,
    reply_route: str | None = None,
    salesbot_bot_id=...,
    chats_channel: dict[str, str] | None = None,
) -> KommoIntegration:
    """How replies leave: the route (Salesbot, or the Chats API channel), the Salesbot that sends them,
    and the workspace's own Chats API channel (`{"channel_id", "secret", "code"}`; an empty id: the
    platform's; an empty secret keeps the stored one). Choosing the Chats API connects the channel to
    the account first: if Kommo refuses, nothing is saved and the error says why."""
    before = _settings_view(integration)
    if chats_channel is not None:
        channel_id = chats_channel.get("channel_id", "").strip()
        secret = chats_channel.get("secret", "").strip()
        if channel_id != integration.chats_channel_id or (secret and secret != integration.chats_secret):
            integration.chats_scope_id, integration.chats_connected_at = "", None  # another channel: connect anew
        integration.chats_channel_id = channel_id
        integration.chats_secret = (secret or integration.chats_secret) if channel_id else ""
        if channel_id and not integration.chats_secret:
            raise InvalidInput(
                "A channel of your own needs its secret.",
                errors={"chats_channel": ["The channel's secret is required."]},
            )
        integration.chats_channel_code = chats_channel.get("code", "").strip() if channel_id else ""
    if reply_route is not None:
        integration.reply_route = reply_route
    if salesbot_bot_id is not ...:
        integration.salesbot_bot_id = salesbot_bot_id
    if integration.reply_route == KommoIntegration.ReplyRoute.CHATS_API and not integration.chats_scope_id:
        chats_connect(integration)
    integration.save()
    audit_record(
        action="integration.kommo_settings",
        actor=user,
        workspace=integration.workspace,
        target=integration,
        before=before,
        after=_settings_view(integration),
    )
    realtime.publish(
        integration.workspace_id, "integration.updated", {"provider": "kommo", "status": integration.status}
    )
    return integration


def _settings_view(integration: KommoIntegration) -> dict[str, object]:
    return {
        "reply_route": integration.reply_route,
        "salesbot_bot_id": integration.salesbot_bot_id,
        "chats_channel_id": integration.chats_channel_id,
        "chats_scope_id": integration.chats_scope_id,
    }


def setup_urls(integration: KommoIntegration | None) -> dict[str, object]:
    """What an admin pastes into Kommo: the widget_request URL of the Salesbot step and, for a private
    integration, the redirect and revoke-hook URLs — needed before connecting; and, once connected,
    the workspace's webhook URL (it carries the workspace's secret)."""
    urls: dict[str, object] = {
        "widget_request_url": f"{settings.PUBLIC_URL}/api/webhooks/kommo/salesbot",
        "redirect_uri": settings.KOMMO_REDIRECT_URI,
        "revoke_hook_url": f"{settings.PUBLIC_URL}/api/webhooks/kommo/revoked",
        "chats_hook_url": chats_hook_url(),
        "oauth_available": bool(settings.KOMMO_CLIENT_ID and settings.KOMMO_CLIENT_SECRET),
    }
    if integration is not None and integration.is_active:
        urls["webhook_url"] = webhook_url(integration)
    return urls

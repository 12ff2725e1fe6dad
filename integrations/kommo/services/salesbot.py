"""Replies through Salesbot (KOMMO.md A0.2, A5): the supported way for a bot to answer on channels
that belong to other integrations (WhatsApp, Telegram, Instagram…).

    reply ready → the adapter runs the workspace's bot for the lead (POST /api/v4/bots/run) and leaves
    the delivery pending → the bot's first step, widget_request, POSTs to our URL with a JWT signed by
    the integration's secret and its return URL → we `continue` with the answer in `data` (a `show`
    handler holds ≤ 80 characters, so the bot's next step sends `{{json.answer}}`) → the delivery is
    reported done; a continue Kommo refuses (expired) is reported failed, with a retry action.

Running the bot only when the reply is ready (after the response delay or an approval) keeps the
continue fresh: a widget_request that waited for a reviewer would expire.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import entry_point_rows
from integrations.channels import (
    Capabilities,
    ChannelSendError,
    Delivery,
    DeliveryReport,
    OutgoingMessage,
    channel_event,
)
from integrations.kommo.client import base_url_for
from integrations.kommo.exceptions import KommoEntityNotFound, KommoError, SignatureInvalid, WebhookBodyInvalid
from integrations.kommo.models import KommoIntegration, SalesbotDispatch
from integrations.kommo.services.tokens import client_for, client_secret_of

log = logging.getLogger(__name__)

ECHO_WINDOW = timedelta(minutes=30)


class SalesbotAdapter:
    """The channel adapter of Kommo's messengers when the workspace replies through Salesbot."""

    capabilities = Capabilities(max_text_length=4000, attachments=False)

    def __init__(self, integration: KommoIntegration | None) -> None:
        self.integration = integration

    def send(self, message: OutgoingMessage) -> Delivery:
        integration = self.integration
        if integration is None or not integration.is_active:
            raise ChannelSendError("Kommo is not connected: connect it on the Integrations page.", retryable=False)
        if not integration.salesbot_bot_id:
            raise ChannelSendError(
                "No Salesbot is chosen to send the AI's replies (Integrations page → Salesbot).", retryable=False
            )
        if not message.lead_id.isdigit():
            raise ChannelSendError("The conversation has no Kommo lead to reply on.", retryable=False)
        # An earlier dispatch of this message whose widget_request never came (the send is tried
        # again) must not take the next widget_request of the lead: only the newest one waits.
        SalesbotDispatch.objects.filter(
            message_id=message.message_id, status=SalesbotDispatch.Status.RUN_REQUESTED
        ).update(status=SalesbotDispatch.Status.FAILED, error="Superseded by a new attempt.")
        dispatch = SalesbotDispatch.objects.create(
            workspace_id=message.workspace_id,
            message_id=message.message_id,
            lead_id=int(message.lead_id),
            bot_id=integration.salesbot_bot_id,
            text=message.text,
        )
        try:
            client_for(integration).salesbot_run(integration.salesbot_bot_id, int(message.lead_id))
        except KommoError as exc:
            SalesbotDispatch.objects.filter(pk=dispatch.pk).update(
                status=SalesbotDispatch.Status.FAILED, error=exc.detail
            )
            raise ChannelSendError(f"Kommo did not start the Salesbot: {exc.detail}", retryable=exc.retryable) from exc
        return Delivery(external_id=f"kommo-salesbot-{dispatch.pk}", pending=True)


def widget_request_receive(*, body: bytes, receiver_url: str) -> SalesbotDispatch | None:
    """The bot asks for the reply. The request names no workspace: the widget (and so its URL) is the
    same in every account. The JWT does — signed by the integration's secret, with the account's id —
    so the connection whose secret verifies it is the workspace (an entry point by verified signature).
    `receiver_url` is the URL Kommo called (the token's audience). We find the reply waiting for that
    lead and continue the bot in a task; Kommo gets its answer now."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise WebhookBodyInvalid("widget_request bodies are JSON.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise WebhookBodyInvalid("A widget_request has `token`, `data` and `return_url`.")
    token = str(payload.get("token") or "")
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
        account_id = int(unverified.get("account_id"))
    except (jwt.PyJWTError, TypeError, ValueError):
        raise SignatureInvalid("The widget_request token names no account.") from None
    for integration in entry_point_rows(
        KommoIntegration, account_id=account_id, status=KommoIntegration.Status.CONNECTED
    ):
        claims = _verified(integration, token, receiver_url)
        if claims is not None:
            return _reply_requested(integration, claims, payload)
    raise SignatureInvalid("The widget_request token is not signed by an integration connected here.")


def _verified(integration: KommoIntegration, token: str, receiver_url: str) -> dict[str, Any] | None:
    """The token's claims when this connection's secret signed it (and it is unexpired, and any
    audience it names is the host Kommo called — us); else None. As the official PHP library checks
    a bot's token (`AmoCRMOAuth::parseBotDisposableToken`): HS512 with the client secret, `exp`, and
    `aud` = scheme://host of the receiving URL — the one Kommo called, or PUBLIC_URL's (the URL the admin
    pasted, when a proxy rewrites the Host) (docs/kommo-verification.md)."""
    try:
        claims = jwt.decode(
            token,
            client_secret_of(integration),
            algorithms=["HS512"],
            options={"require": ["exp"], "verify_aud": False},  # the audience is checked below (host only)
            leeway=60,
        )
    except jwt.PyJWTError:
        return None
    audience = claims.get("aud")
    ours = {urlsplit(receiver_url).hostname, urlsplit(settings.PUBLIC_URL).hostname}  # behind a proxy: the latter
    if audience and all(
        urlsplit(str(a)).hostname not in ours for a in ([audience] if isinstance(audience, str) else audience)
    ):
        return None
    return claims


def _reply_requested(
    integration: KommoIntegration, claims: dict[str, Any], payload: dict[str, Any]
) -> SalesbotDispatch | None:
    return_url = str(payload.get("return_url") or "")
    if urlsplit(return_url).netloc != urlsplit(base_url_for(integration.base_domain)).netloc:
        raise SignatureInvalid("The return URL is not on the connected account.")
    lead_id = str(payload["data"].get("lead_id") or claims.get("entity_id") or "")
    # Each bot run takes one waiting dispatch, oldest first: two runs on one lead (two replies close
    # together) asking at once get one each (the row lock, then its continue URL, marks it taken).
    with transaction.atomic():
        dispatch = (
            SalesbotDispatch.objects.select_for_update(skip_locked=True)
            .filter(
                lead_id=int(lead_id) if lead_id.isdigit() else -1,
                status=SalesbotDispatch.Status.RUN_REQUESTED,
                continue_url="",
            )
            .order_by("created_at", "pk")
            .first()
        )
        if dispatch is not None:
            dispatch.continue_url = return_url
            dispatch.save(update_fields=["continue_url", "updated_at"])
        enqueue_on_commit(
            "integrations.tasks.kommo_salesbot_continue_task",
            integration.workspace_id,
            dispatch.pk if dispatch else 0,
            return_url,
        )
    return dispatch


def salesbot_continue(
    *, dispatch_id: int, return_url: str, final_attempt: bool = True, retried: bool = False
) -> SalesbotDispatch | None:
    """Hand the reply to the waiting bot; report the delivery either way. A widget_request with no
    reply waiting (the bot ran for another reason) is continued with `status: no_reply`, so the bot
    never hangs. A failure a retry may fix (429, 5xx, no answer) is raised unless `final_attempt`:
    the task tries again while the continue is valid (a continue id is single-use, so a repeat never
    sends twice); the last failure, or Kommo's refusal (an expired continue), fails the reply visibly."""
    integration = KommoIntegration.objects.first()
    if integration is None or not integration.is_active:
        return None
    dispatch = SalesbotDispatch.objects.filter(pk=dispatch_id).first() if dispatch_id else None
    if dispatch is not None and dispatch.status != SalesbotDispatch.Status.RUN_REQUESTED:
        return dispatch  # a repeated task: continued (or failed) already, the continue id is spent
    client = client_for(integration)
    if dispatch is None:
        try:
            client.salesbot_continue(return_url, {"status": "no_reply"})
        except KommoError as exc:
            log.warning("Kommo Salesbot continue (no reply) failed", extra={"code": exc.code})
        return None
    try:
        client.salesbot_continue(return_url, {"status": "success", "answer": dispatch.text})
    except KommoError as exc:
        if exc.retryable and not final_attempt:
            SalesbotDispatch.objects.filter(pk=dispatch.pk).update(error=exc.detail)
            raise
        SalesbotDispatch.objects.filter(pk=dispatch.pk).update(status=SalesbotDispatch.Status.FAILED, error=exc.detail)
        channel_event(
            DeliveryReport(
                workspace_id=dispatch.workspace_id,
                message_id=dispatch.message_id,
                delivered=False,
                reason=_continue_failure(exc, retried=retried),
            )
        )
        return dispatch
    SalesbotDispatch.objects.filter(pk=dispatch.pk).update(status=SalesbotDispatch.Status.CONTINUED)
    channel_event(
        DeliveryReport(
            workspace_id=dispatch.workspace_id,
            message_id=dispatch.message_id,
            delivered=True,
            external_id=f"kommo-salesbot-{dispatch.pk}",
        )
    )
    return dispatch


def _continue_failure(exc: KommoError, *, retried: bool) -> str:
    if isinstance(exc, KommoEntityNotFound):
        if retried:  # Kommo may have taken an earlier attempt it answered with an error
            return (
                f"Kommo no longer knows the Salesbot's continue ({exc.detail}); an earlier attempt that failed "
                "may have delivered the reply: check the chat in Kommo before retrying."
            )
        return (
            f"The Salesbot's continue expired before the reply was handed over ({exc.detail}); "
            "retry it to run the bot again."
        )
    return f"Kommo did not take the reply from the Salesbot: {exc.detail}"


def dispatch_echo(*, lead_id: str, text: str, author_type: str) -> bool:
    """Whether an outgoing chat message is our own reply coming back from the bot (not a person of
    the business writing, which would pause the AI)."""
    if not lead_id.isdigit():
        return False
    recent = SalesbotDispatch.objects.filter(
        lead_id=int(lead_id),
        status=SalesbotDispatch.Status.CONTINUED,
        updated_at__gte=timezone.now() - ECHO_WINDOW,
    )
    return author_type == "bot" or recent.filter(text=text).exists()

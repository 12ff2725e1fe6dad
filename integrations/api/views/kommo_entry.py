"""The entry points Kommo calls — no user, no token of ours:

    POST /api/webhooks/kommo/<secret>[/<kind>]      account webhooks (form-encoded, KOMMO.md A3)
    POST /api/webhooks/kommo/salesbot               Salesbot's widget_request (JSON + a JWT, A5)
    POST /api/webhooks/kommo/chats/<scope_id>       the Chats API channel's hook (JSON, signed, A4)
    GET  /api/webhooks/kommo/revoked                the "access revoked" hook (signed, A1)
    GET  /api/integrations/kommo/callback           the OAuth redirect (an HTML page for the popup)

The workspace comes from the secret in the URL — or, for Salesbot and the revoke notice, from the
signature that one connection's secret verifies — through the entry-point helpers of
`agent_platform.tenancy`; an unknown secret and a secret whose account does not match the body answer
the same 404. They answer fast: store and enqueue, the work runs in tasks.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from agent_platform.api.problems import domain_problem_response, problem_response
from agent_platform.errors import DomainError
from agent_platform.tenancy import entry_point_scope
from integrations.kommo import services
from integrations.kommo.exceptions import WebhookBodyInvalid, WebhookNotFound
from integrations.kommo.models import KommoIntegration

log = logging.getLogger(__name__)


class KommoEntryView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []  # Kommo's own traffic: its volume is the account's, not an abuser's

    def _body(self, request) -> bytes:
        if _content_length(request) > settings.KOMMO_WEBHOOK_MAX_BYTES:
            raise BodyTooLarge(f"The body is larger than {settings.KOMMO_WEBHOOK_MAX_BYTES} bytes.")
        return request.body


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BodyTooLarge(WebhookBodyInvalid):
    status, code = 413, "kommo_webhook_too_large"


@csrf_exempt
def webhook_receive(request: HttpRequest, secret: str, kind: str = "") -> HttpResponse:
    """Kommo's account webhooks, the hot path (Kommo waits 2 s; bench/kommo_webhooks): a plain Django
    view — no DRF request, negotiation or renderers — answering errors with the same problems. The
    ASGI application serves it through its entry-point handler (`agent_platform.asgi`)."""
    if request.method != "POST":
        return problem_response(request, status=405, code="method_not_allowed", detail="Only POST is accepted.")
    try:
        if _content_length(request) > settings.KOMMO_WEBHOOK_MAX_BYTES:
            raise BodyTooLarge(f"The body is larger than {settings.KOMMO_WEBHOOK_MAX_BYTES} bytes.")
        delivery, created = services.delivery_receive(secret=secret, body=request.body)
    except DomainError as exc:
        return domain_problem_response(request, exc)
    return JsonResponse({"ok": True, "duplicate": not created, "events": delivery.events})


@extend_schema(exclude=True)
class SalesbotWidgetView(KommoEntryView):
    def post(self, request):
        dispatch = services.widget_request_receive(
            body=self._body(request), receiver_url=request.build_absolute_uri(request.path)
        )
        return Response({"ok": True, "reply": dispatch is not None})


@extend_schema(exclude=True)
class ChatsHookView(KommoEntryView):
    """Sent once, never retried: stored before the 200 (or refused with the reason)."""

    def post(self, request, scope_id: str):
        body = self._body(request)
        with entry_point_scope(
            KommoIntegration, chats_scope_id=scope_id, status=KommoIntegration.Status.CONNECTED
        ) as integration:
            if integration is None:
                raise WebhookNotFound()
            _, created = services.chats_hook_receive(
                integration=integration, body=body, signature=request.headers.get("X-Signature", "")
            )
        return Response({"ok": True, "duplicate": not created})


@extend_schema(exclude=True)
class RevokedView(KommoEntryView):
    def get(self, request):
        params = request.query_params
        revoked = services.access_revoked(
            account_id=params.get("account_id", ""),
            client_uuid=params.get("client_uuid", ""),
            signature=params.get("signature", ""),
        )
        return Response({"ok": True, "revoked": revoked})

    post = get


class OAuthCallbackView(View):
    """Kommo redirects the consent popup here; the page tells the opener (the Integrations page) how it
    went and closes, or, opened as a plain redirect, goes back to the Integrations page."""

    def get(self, request):
        params = request.GET
        result: dict[str, object] = {"type": "kommo.oauth", "ok": False}
        if params.get("error"):
            result.update(code="kommo_oauth_denied", detail="Access was not granted in Kommo.")
        else:
            try:
                services.oauth_callback(
                    code=params.get("code", ""),
                    referer=params.get("referer", ""),
                    state=params.get("state", ""),
                    from_widget=bool(params.get("from_widget")),
                )
                result.update(ok=True)
            except DomainError as exc:
                log.info("Kommo OAuth callback refused", extra={"code": exc.code})
                result.update(code=exc.code, detail=exc.detail)
        response = HttpResponse(_callback_page(result), content_type="text/html; charset=utf-8")
        # This page runs in the popup the Integrations page opened, after a visit to Kommo: it must stay
        # in the opener's browsing context group to reach `window.opener` (any stricter policy cuts it).
        response["Cross-Origin-Opener-Policy"] = "unsafe-none"
        return response


def _callback_page(result: dict[str, object]) -> str:
    message = "Kommo is connected." if result["ok"] else f"Kommo was not connected: {result.get('detail', '')}"
    outcome = "connected" if result["ok"] else "failed"
    data = json.dumps(result).replace("<", "\\u003c")  # no "</script>" can close the tag early
    return f"""<!doctype html><meta charset="utf-8"><title>Kommo</title>
<p>{escape(message)}</p>
<script>
  const result = {data};
  if (window.opener) {{
    window.opener.postMessage(result, window.location.origin);
    window.close();
  }} else {{
    window.location.replace("/integrations?kommo={outcome}");
  }}
</script>"""

"""An integration's credentials: its access token, refreshed ahead of expiry and after a 401 —
exactly once however many callers (threads, processes) ask at the same time — and the client built
on them. Kommo's refresh tokens are single-use, so the new pair is written in the same transaction
that holds the row lock the refresh ran under."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agent_platform import realtime
from integrations.kommo.client import KommoClient, TokenPair, base_url_for, current_subdomain, oauth_token
from integrations.kommo.exceptions import KommoAuthFailed, OAuthStateInvalid
from integrations.kommo.models import KommoIntegration

log = logging.getLogger(__name__)

REFRESH_AHEAD = timedelta(minutes=10)
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


def domain_checked(domain: str) -> str:
    """An account domain we may call: a host (and port) under KOMMO_ACCOUNT_DOMAINS, or one of the
    KOMMO_INSECURE_HOSTS (the local Kommo). The OAuth `referer` is a query parameter anyone can
    write, so anything else is refused before a single request leaves."""
    domain = (domain or "").strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    host = domain.split(":", 1)[0]
    if _DOMAIN.match(domain) and (
        host in settings.KOMMO_INSECURE_HOSTS
        or any(host.endswith("." + allowed) for allowed in settings.KOMMO_ACCOUNT_DOMAINS)
    ):
        return domain
    raise OAuthStateInvalid(f"{domain[:100]!r} is not a Kommo account domain.")


def client_secret_of(integration: KommoIntegration) -> str:
    """The integration's own secret (a private integration), else the platform's."""
    return integration.client_secret or settings.KOMMO_CLIENT_SECRET


def _expiring(integration: KommoIntegration) -> bool:
    return (
        integration.auth_kind == KommoIntegration.AuthKind.OAUTH
        and integration.access_expires_at is not None
        and integration.access_expires_at - timezone.now() < REFRESH_AHEAD
    )


def tokens_store(integration: KommoIntegration, pair: TokenPair) -> None:
    integration.access_token = pair.access_token
    integration.refresh_token = pair.refresh_token or integration.refresh_token
    integration.access_expires_at = timezone.now() + timedelta(seconds=pair.expires_in) if pair.expires_in else None


class IntegrationTokens:
    """The TokenSource (client.py) of one integration."""

    def __init__(self, integration: KommoIntegration) -> None:
        self.integration = integration

    def access_token(self) -> str:
        if _expiring(self.integration):
            return self._refresh(rejected=self.integration.access_token)
        return self.integration.access_token

    def refreshed_token(self, rejected: str) -> str:
        return self._refresh(rejected=rejected)

    def _refresh(self, *, rejected: str) -> str:
        failure = ""
        with transaction.atomic():
            row = KommoIntegration.objects.select_for_update().get(pk=self.integration.pk)
            if row.access_token != rejected and not _expiring(row):
                self.integration = row  # another caller refreshed while we waited for the lock
                return row.access_token
            if row.auth_kind != KommoIntegration.AuthKind.OAUTH or not row.refresh_token:
                failure = "Kommo refused the long-lived token: generate a new one and connect again."
            else:
                try:
                    tokens_store(row, self._refresh_pair(row))
                    row.save(update_fields=["access_token", "refresh_token", "access_expires_at", "base_domain"])
                    self.integration = row
                    return row.access_token
                except KommoAuthFailed:
                    failure = "Kommo refused the refresh token (the integration was disabled or reinstalled)."
        integration_mark_error(self.integration, failure)
        raise KommoAuthFailed(failure, upstream_status=401)

    @staticmethod
    def _refresh_pair(row: KommoIntegration) -> TokenPair:
        def refresh(domain: str) -> TokenPair:
            return oauth_token(
                base_url_for(domain),
                client_id=row.client_id,
                client_secret=client_secret_of(row),
                redirect_uri=settings.KOMMO_REDIRECT_URI,
                grant_type="refresh_token",
                refresh_token=row.refresh_token,
            )

        try:
            return refresh(row.base_domain)
        except KommoAuthFailed:
            # The account may have moved to another subdomain (KOMMO.md A1): ask where, and retry there.
            moved = current_subdomain(base_url_for(row.base_domain), row.refresh_token)
            if not moved or moved == row.base_domain:
                raise
            row.base_domain = domain_checked(moved)
            log.warning("Kommo account moved", extra={"integration": row.pk, "domain": row.base_domain})
            return refresh(row.base_domain)


def integration_mark_error(integration: KommoIntegration, detail: str, *, where: str = "auth") -> None:
    """Record an error on the integration (newest first, the last 20); an auth failure also turns the
    integration to `error` (reconnect) and tells the workspace."""
    with transaction.atomic():
        row = KommoIntegration.objects.select_for_update().get(pk=integration.pk)
        row.last_errors = [
            {"at": timezone.now().isoformat(), "where": where, "detail": detail[:500]},
            *row.last_errors,
        ][:20]
        fields = ["last_errors", "updated_at"]
        if where == "auth" and row.status == KommoIntegration.Status.CONNECTED:
            row.status = KommoIntegration.Status.ERROR
            fields.append("status")
        row.save(update_fields=fields)
        realtime.publish(row.workspace_id, "integration.updated", {"provider": "kommo", "status": row.status})


def client_for(integration: KommoIntegration) -> KommoClient:
    """The API client of a connected integration (rate window shared by everyone calling its account)."""
    return KommoClient(
        base_url=base_url_for(integration.base_domain),
        tokens=IntegrationTokens(integration),
        rate_key=str(integration.account_id or integration.base_domain),
    )

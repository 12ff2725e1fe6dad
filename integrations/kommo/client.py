"""The only code that speaks to Kommo's REST API (v4) and its OAuth endpoints (KOMMO.md A1, A2).

It owns, for every call: the per-account rate window (≤ 7 calls/s across all processes,
`ratelimit.py`), retries with jittered backoff (429 for any method; timeouts, connection errors and
5xx only for calls that are safe to repeat), one token refresh and retry on a 401, **204 = an empty
list**, `_links.next` paging, hal+json in and problem+json errors out, mapped where they enter onto
the typed errors of `integrations.kommo.exceptions` (a 400 keeps its `validation-errors`), batch
PATCH in chunks of 50, and connect/read timeouts (5 s / 20 s, as Kommo's own PHP library).

Tokens come from a `TokenSource` (the integration's, `services.tokens.IntegrationTokens`): the client
asks it for the access token and, after a 401, for a refreshed one.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin

import requests
from django.conf import settings

from integrations.kommo.exceptions import (
    KommoAuthFailed,
    KommoEntityNotFound,
    KommoError,
    KommoForbidden,
    KommoRateLimited,
    KommoUnavailable,
    KommoValidationFailed,
)
from integrations.kommo.ratelimit import RateLimiter

log = logging.getLogger(__name__)

USER_AGENT = "agent-platform-kommo/1.0"
PAGE_LIMIT = 250  # Kommo's maximum `limit`
BATCH_LIMIT = 50  # items per batch PATCH / complex add
SAFE_TO_REPEAT = {"GET", "PATCH", "PUT", "DELETE", "HEAD"}


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refreshed_token(self, rejected: str) -> str:
        """A token other than `rejected` (refreshing it if nobody else did); raises KommoAuthFailed."""


@dataclass(frozen=True)
class StaticToken:
    """A token that cannot be refreshed (a long-lived token, or a test)."""

    token: str

    def access_token(self) -> str:
        return self.token

    def refreshed_token(self, rejected: str) -> str:
        raise KommoAuthFailed("Kommo refused the token and it cannot be refreshed.", upstream_status=401)


def base_url_for(domain: str) -> str:
    """The account's address from its domain (the OAuth `referer`). Kommo is always HTTPS; plain
    HTTP only for the hosts in KOMMO_INSECURE_HOSTS (the local Kommo of tests and the demo)."""
    domain = domain.strip().rstrip("/")
    if domain.startswith(("http://", "https://")):
        domain = domain.split("://", 1)[1]
    host = domain.split(":", 1)[0]
    scheme = "http" if host in settings.KOMMO_INSECURE_HOSTS else "https"
    return f"{scheme}://{domain}"


class KommoClient:
    def __init__(
        self,
        *,
        base_url: str,
        tokens: TokenSource,
        rate_key: str,
        session: requests.Session | None = None,
        max_attempts: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.tokens = tokens
        self.limiter = RateLimiter(rate_key)
        self.session = session or requests.Session()
        self.max_attempts = max_attempts or settings.KOMMO_MAX_ATTEMPTS
        self.timeout = (settings.KOMMO_CONNECT_TIMEOUT, settings.KOMMO_READ_TIMEOUT)

    # -- the one request path ---------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: Any = None, json: Any = None) -> Any:
        """One API call; the decoded body, or None for 204. Raises the typed Kommo errors."""
        url = path if path.startswith("http") else urljoin(self.base_url + "/", path.lstrip("/"))
        token = self.tokens.access_token()
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    timeout=self.timeout,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Accept": "application/hal+json, application/json",
                        "User-Agent": USER_AGENT,
                    },
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                if method in SAFE_TO_REPEAT and attempt < self.max_attempts:
                    self._sleep(attempt, None)
                    continue
                raise KommoUnavailable(f"Kommo did not answer: {type(exc).__name__}") from exc
            status = response.status_code
            if status == 401 and not refreshed:
                token, refreshed = self.tokens.refreshed_token(token), True
                continue
            # Kommo's Retry-After is obeyed: a wait longer than KOMMO_RETRY_MAX_DELAY is not done
            # here (nor cut short): the call fails, retryable, and the caller's task comes back later.
            retry_after = _seconds(response.headers.get("Retry-After"))
            if retry_after > settings.KOMMO_RETRY_MAX_DELAY:
                return _decoded(response)
            if status == 429 and attempt < self.max_attempts:
                self._sleep(attempt, retry_after)
                continue
            if status >= 500 and method in SAFE_TO_REPEAT and attempt < self.max_attempts:
                self._sleep(attempt, retry_after)
                continue
            return _decoded(response)

    def _sleep(self, attempt: int, retry_after: float) -> None:
        wait = retry_after
        if not wait:
            cap = min(settings.KOMMO_RETRY_MAX_DELAY, settings.KOMMO_RETRY_BASE_DELAY * 2 ** (attempt - 1))
            wait = random.uniform(cap / 2, cap)  # jitter: processes that failed together retry apart
        time.sleep(wait)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params or None)

    def paged(self, path: str, key: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list, page after page (`_links.next`); a 204 is the end."""
        params = {"limit": PAGE_LIMIT, **(params or {})}
        url: str | None = path
        while url:
            body = self.request("GET", url, params=params)
            if not body:
                return
            yield from (body.get("_embedded") or {}).get(key) or []
            url = ((body.get("_links") or {}).get("next") or {}).get("href")
            params = None  # the next link carries the query

    # -- the account and its configuration --------------------------------------------------------
    def account(self) -> dict[str, Any]:
        return self.get("/api/v4/account", **{"with": "amojo_id,users_groups,task_types,datetime_settings"})

    def pipelines(self) -> list[dict[str, Any]]:
        return list(self.paged("/api/v4/leads/pipelines", "pipelines"))

    def pipeline_statuses(self, pipeline_id: int) -> list[dict[str, Any]]:
        return list(self.paged(f"/api/v4/leads/pipelines/{int(pipeline_id)}/statuses", "statuses"))

    def custom_fields(self, entity: str) -> list[dict[str, Any]]:
        if entity not in ("leads", "contacts", "companies"):
            raise ValueError(f"no custom fields for {entity!r}")
        return list(self.paged(f"/api/v4/{entity}/custom_fields", "custom_fields"))

    def users(self) -> list[dict[str, Any]]:
        return list(self.paged("/api/v4/users", "users"))

    # -- leads, contacts and what hangs off them --------------------------------------------------
    def leads(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.paged("/api/v4/leads", "leads", params))

    def lead(self, lead_id: int, *, with_contacts: bool = False) -> dict[str, Any]:
        params = {"with": "contacts"} if with_contacts else None
        return self.request("GET", f"/api/v4/leads/{int(lead_id)}", params=params)

    def leads_update(self, leads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Batch PATCH (each item has its `id`), in chunks of 50."""
        return self._batch("PATCH", "/api/v4/leads", "leads", leads)

    def lead_update(self, lead_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"/api/v4/leads/{int(lead_id)}", json=data)

    def contacts(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.paged("/api/v4/contacts", "contacts", params))

    def contact(self, contact_id: int) -> dict[str, Any]:
        return self.request("GET", f"/api/v4/contacts/{int(contact_id)}")

    def contacts_update(self, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._batch("PATCH", "/api/v4/contacts", "contacts", contacts)

    def link(self, entity: str, entity_id: int, links: list[dict[str, Any]]) -> Any:
        return self.request("POST", f"/api/v4/{entity}/{int(entity_id)}/link", json=links)

    def notes_add(self, entity: str, notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._batch("POST", f"/api/v4/{entity}/notes", "notes", notes)

    def tasks_add(self, tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._batch("POST", "/api/v4/tasks", "tasks", tasks)

    def talk(self, talk_id: int) -> dict[str, Any]:
        return self.request("GET", f"/api/v4/talks/{int(talk_id)}")

    def events(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.paged("/api/v4/events", "events", {"limit": 100, **params}))

    def _batch(self, method: str, path: str, key: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        done: list[dict[str, Any]] = []
        for start in range(0, len(items), BATCH_LIMIT):
            body = self.request(method, path, json=items[start : start + BATCH_LIMIT]) or {}
            done.extend((body.get("_embedded") or {}).get(key) or [])
        return done

    # -- webhooks and Salesbot ----------------------------------------------------------------------
    def webhooks(self, destination: str | None = None) -> list[dict[str, Any]]:
        params = {"filter[destination]": destination} if destination else None
        body = self.request("GET", "/api/v4/webhooks", params=params) or {}
        return (body.get("_embedded") or {}).get("webhooks") or []

    def webhook_subscribe(self, destination: str, events: list[str]) -> dict[str, Any]:
        return self.request("POST", "/api/v4/webhooks", json={"destination": destination, "settings": events})

    def webhook_unsubscribe(self, destination: str) -> None:
        self.request("DELETE", "/api/v4/webhooks", json={"destination": destination})

    def salesbot_run(self, bot_id: int, entity_id: int, entity_type: str = "leads") -> Any:
        return self.request(
            "POST",
            "/api/v4/bots/run",
            json=[{"bot_id": int(bot_id), "entity_id": int(entity_id), "entity_type": entity_type}],
        )

    def salesbot_continue(
        self, continue_url: str, data: dict[str, Any], handlers: list[dict[str, Any]] | None = None
    ) -> Any:
        body: dict[str, Any] = {"data": data}
        if handlers:
            body["execute_handlers"] = handlers
        return self.request("POST", continue_url, json=body)


def _seconds(retry_after: str | None) -> float:
    """A Retry-After header in seconds (0 when absent, or a date, or unreadable)."""
    try:
        return max(0.0, float(retry_after)) if retry_after else 0.0
    except ValueError:
        return 0.0


def response_json(response: requests.Response) -> Any:
    """A Kommo answer's JSON body; None when it is empty or not JSON (a proxy's HTML error page)."""
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def _decoded(response: requests.Response) -> Any:
    status = response.status_code
    if status == 204:
        return None
    body = response_json(response)
    if status < 400:
        return body
    problem = body if isinstance(body, dict) else {}
    # A proxy's HTML error page (nginx's 429/503) is no message for a person: its status line is.
    text = "" if "html" in response.headers.get("Content-Type", "") else response.text[:200]
    detail = str(problem.get("detail") or problem.get("title") or text or response.reason or f"HTTP {status}")
    if status == 401:
        raise KommoAuthFailed(f"Kommo refused the credentials: {detail}", upstream_status=status)
    if status in (402, 403):
        raise KommoForbidden(f"Kommo refused: {detail}", upstream_status=status)
    if status == 404:
        raise KommoEntityNotFound(f"Kommo: {detail}", upstream_status=status)
    if status == 429:
        raise KommoRateLimited("Kommo's rate limit was hit after every retry.", upstream_status=status)
    if status >= 500:
        raise KommoUnavailable(f"Kommo answered {status}: {detail}", upstream_status=status)
    validation = problem.get("validation-errors")
    if validation or status == 422:
        raise KommoValidationFailed(
            f"Kommo rejected the data: {_first_error(validation) or detail}",
            upstream_status=status,
            validation_errors=validation or [],
        )
    raise KommoError(f"Kommo answered {status}: {detail}", upstream_status=status)


def _first_error(validation: Any) -> str:
    for group in validation or []:
        for error in (group or {}).get("errors") or []:
            return f"{error.get('path', '')}: {error.get('detail') or error.get('code', '')}".strip(": ")
    return ""


# -- OAuth (no token of ours yet, no rate window: these go to the account's /oauth2 endpoints) ------


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def oauth_token(base_url: str, *, client_id: str, client_secret: str, redirect_uri: str, **grant: str) -> TokenPair:
    """`POST /oauth2/access_token` with `grant_type=authorization_code` (code=…) or `refresh_token`
    (refresh_token=…). A refresh token is single-use: the caller stores the new pair atomically."""
    body = {"client_id": client_id, "client_secret": client_secret, "redirect_uri": redirect_uri, **grant}
    timeout = (settings.KOMMO_CONNECT_TIMEOUT, settings.KOMMO_READ_TIMEOUT)
    try:
        response = requests.post(
            f"{base_url.rstrip('/')}/oauth2/access_token",
            json=body,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
        )
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise KommoUnavailable(f"Kommo's token endpoint did not answer: {type(exc).__name__}") from exc
    if response.status_code in (400, 401, 403):
        raise KommoAuthFailed("Kommo refused the authorization (expired, used or revoked).", upstream_status=401)
    payload = _decoded(response) or {}
    try:
        return TokenPair(
            access_token=payload["access_token"],
            refresh_token=payload.get("refresh_token", ""),
            expires_in=int(payload.get("expires_in", 86400)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KommoError("Kommo's token answer has no access token.") from exc


def current_subdomain(base_url: str, refresh_token: str) -> str | None:
    """The account's domain now, asked with the refresh token (after a subdomain change, KOMMO.md A1)."""
    try:
        response = requests.get(
            f"{base_url.rstrip('/')}/oauth2/account/current/subdomain",
            headers={"X-Refresh-Token": refresh_token, "User-Agent": USER_AGENT},
            timeout=(settings.KOMMO_CONNECT_TIMEOUT, settings.KOMMO_READ_TIMEOUT),
        )
        payload = response.json() if response.ok else {}
    except (requests.RequestException, ValueError):
        return None
    return payload.get("domain") or (f"{payload['subdomain']}.kommo.com" if payload.get("subdomain") else None)

"""`FakeKommo`: the control API of the local Kommo, and the routing of its listeners.

Topology: a hub listener (`kommo.url`) plays `www.kommo.com` (OAuth consent page) and
`amojo.kommo.com` (Chats API) and serves the demo UI; every account gets a listener of its own whose
`127.0.0.1:PORT` plays `{subdomain}.kommo.com` (`account.base_domain`, `account.base_url`) and serves
`/oauth2/*` and the REST API (`/api/v4/*`, `/api/v2/salesbot/run`).

    with FakeKommo(rate_limit_rps=7) as kommo:
        account = kommo.add_account(subdomain="acme", name="Acme")
        kommo.add_integration(account, client_id=cid, client_secret=secret, redirect_uri=cb, revoke_hook_url=rh)
        token = kommo.long_lived_token(account, cid)          # or issue_code() + POST /oauth2/access_token
        sent = kommo.customer_writes(account, origin="whatsapp", text="Hi, price?", name="Ana", phone="+55…")
        kommo.wait_for_webhooks()

CAN
- OAuth (oauth.py): consent page + redirect with `referer`, codes (once, 20 min), rotating refresh
  tokens, JWT access tokens with `api_domain`, long-lived tokens, 401 problem+json, the subdomain
  look-ups, install from a widget, revoke (tokens die, hook called signed).
- REST v4 (api_v4.py): account, leads/contacts/companies (list, get, create, batch and single PATCH,
  complex create), custom field definitions and values checked by type, pipelines and statuses,
  users, links, notes, tasks, events, talks, webhooks, bots; hal+json, 204 on empty, paging, limits,
  `validation-errors`, admin-only 403s, a per-account rate limit (429), scripted failures.
- Webhooks (webhooks.py): form-encoded PHP-bracket bodies like the captured ones, per-setting
  routing, 2 s timeout, the disable rule, optional retries.
- Salesbot (salesbot.py): run → signed widget_request → continue → bot messages on the lead.
- Chats API (chats.py): signature checks, connect/disconnect, send, chats, history, the signed hook.
- A tiny UI (ui.py) and a CLI (`python -m integrations.kommo.fakes`).

CANNOT
- TLS, real host names or a subdomain change (the account host is a port; `api_domain` is it too).
- Customers, catalogs, products, files, tags endpoints, sources, templates, AI sources, Digital
  Pipeline automations, roles, widgets settings, `If-Modified-Since`, `GET /talks/{id}/messages`,
  `POST /talks/{id}/send_message` (the Chats add-on), unsorted accept/decline.
- Anything Kommo does on its own: bots only run when launched; messages only arrive through
  `customer_writes`, `manager_writes*` or the Chats API; no delivery statuses or typing events.
- Persist anything: the state lives in memory until `stop()`.
- Wire details marked [M] in the module docstrings are best guesses, kept configurable where cheap.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from integrations.kommo.fakes import api_v4, chats, crm, oauth, salesbot, ui
from integrations.kommo.fakes.server import Listener, RecordedRequest, Request, Response, html, problem
from integrations.kommo.fakes.state import (
    ChatChannel,
    FakeAccount,
    FakeIntegration,
    IdCounters,
    TokenRecord,
    new_account,
)
from integrations.kommo.fakes.webhooks import SETTINGS, WebhookEmitter


@dataclass
class FailureRule:
    kind: str  # "500" | "429" | "503" | "slow" | any other HTTP status
    times: int | None = 1  # None: keep failing
    path_prefix: str | None = None
    retry_after: int | None = None  # a 429's Retry-After header (seconds)


class FakeKommo:
    def __init__(
        self,
        *,
        rate_limit_rps: int | None = 7,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token_ttl: float = 86400,
        continue_ttl: float = 600,
        webhook_disable_after: int = 100,
        webhook_timeout: float = 2.0,
        webhook_retry_delays: tuple[float, ...] = (),
    ) -> None:
        self.host, self.port = host, port
        self.lock = threading.RLock()
        self.ids = IdCounters()
        self.accounts: dict[int, FakeAccount] = {}
        self.integrations: dict[str, FakeIntegration] = {}
        self.tokens: dict[str, TokenRecord] = {}
        self.channels: dict[str, ChatChannel] = {}
        self.tags: dict[str, int] = {}
        self.requests: list[RecordedRequest] = []
        self.outgoing: list[dict[str, Any]] = []  # every call the fake made (hooks, widget requests)
        self.signing_key = secrets.token_hex(32)
        # Behaviour knobs (KOMMO.md [M] items are configurable here).
        self.rate_limit_rps = rate_limit_rps
        self.code_ttl = 20 * 60.0
        self.access_token_ttl = access_token_ttl
        self.refresh_token_ttl = 90 * 86400.0
        self.revoke_access_on_refresh = True
        self.continue_ttl = continue_ttl
        self.widget_request_timeout = 2.0
        self.batch_limit = 50
        self.next_on_full_page = False
        self.user_author_type = "user"  # author[type] of a Kommo user's message in message[add]
        self.slow_seconds = 3.0
        self.emitter = WebhookEmitter(self)
        self.emitter.disable_after = webhook_disable_after
        self.emitter.timeout = webhook_timeout
        self.emitter.retry_delays = tuple(webhook_retry_delays)
        self._rules: list[FailureRule] = []
        self._offset = 0.0
        self._hub: Listener | None = None
        self._account_listeners: dict[int, Listener] = {}

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> FakeKommo:
        self._hub = Listener("hub", self._dispatch_hub, host=self.host, port=self.port)
        self.emitter.start()
        return self

    def stop(self) -> None:
        self.emitter.stop()
        for listener in self._account_listeners.values():
            listener.stop()
        self._account_listeners.clear()
        if self._hub is not None:
            self._hub.stop()
            self._hub = None

    def __enter__(self) -> FakeKommo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._hub is not None, "start() the fake first"
        return f"http://{self._hub.host_port}"

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/oauth"

    # -- time (tests may move it forward) -------------------------------------------------------
    def now(self) -> float:
        return time.time() + self._offset

    def monotonic(self) -> float:
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward: codes, tokens, continue ids and windows age."""
        self._offset += seconds

    # -- accounts and integrations --------------------------------------------------------------
    def add_account(self, subdomain: str = "acme", name: str = "Acme", *, port: int = 0) -> FakeAccount:
        with self.lock:
            account = new_account(self.ids, subdomain=subdomain, name=name, now=self.now())
            listener = Listener(
                f"account-{subdomain}", self._dispatch_account, host=self.host, port=port, account=account
            )
            account.base_domain = listener.host_port
            self.accounts[account.id] = account
            self._account_listeners[account.id] = listener
        return account

    def add_integration(
        self,
        account: FakeAccount | None,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        revoke_hook_url: str | None = None,
        name: str = "AI Agent Platform",
    ) -> FakeIntegration:
        """Register an integration (its client_id is global, as in Kommo) and install it in `account`."""
        with self.lock:
            integration = FakeIntegration(client_id, client_secret, redirect_uri, revoke_hook_url, name)
            self.integrations[client_id] = integration
            if account is not None:
                integration.installed_on.add(account.id)
        return integration

    def issue_code(self, account: FakeAccount, client_id: str, *, user_id: int | None = None) -> str:
        """The code the consent page would put in the redirect (single use, 20 min)."""
        with self.lock:
            return oauth.issue_code(self, account, client_id, user_id)

    def token_pair(self, account: FakeAccount, client_id: str, *, user_id: int | None = None) -> dict[str, Any]:
        """What `POST /oauth2/access_token` answers, without the HTTP round trip."""
        with self.lock:
            self.integrations[client_id].installed_on.add(account.id)
            return oauth.issue_pair(self, account, client_id, user_id or account.admin["id"])

    def long_lived_token(
        self, account: FakeAccount, client_id: str, *, days: int = 365, user_id: int | None = None
    ) -> str:
        """A private integration's long-lived token (no refresh token; the admin's rights by default)."""
        with self.lock:
            return oauth.long_lived_token(self, account, client_id, days, user_id)

    def expire_access_tokens(self, account: FakeAccount, *, client_id: str | None = None) -> None:
        """Every access token issued so far (long-lived ones too) answers 401 from now on."""
        with self.lock:
            for record in self.tokens.values():
                if (
                    record.account_id == account.id
                    and record.kind in ("access", "long_lived")
                    and client_id in (None, record.client_id)
                ):
                    record.expires_at = self.now() - 1

    def install_from_widget(self, account: FakeAccount, client_id: str) -> str:
        return oauth.install_from_widget(self, account, client_id)

    def revoke(self, account: FakeAccount, client_id: str) -> int | None:
        """The user disables the integration; returns the revoke hook's answer status (None: none or no answer)."""
        return oauth.revoke(self, account, client_id)

    # -- CRM events driven from Python ----------------------------------------------------------
    def customer_writes(
        self,
        account: FakeAccount,
        *,
        origin: str = "whatsapp",
        text: str,
        name: str = "",
        phone: str | None = None,
        chat_id: str | None = None,
        email: str | None = None,
        message_type: str = "text",
        attachment: dict[str, Any] | None = None,
        unsorted: bool = False,
    ) -> dict[str, Any]:
        with self.lock:
            return crm.customer_writes(
                self,
                account,
                origin=origin,
                text=text,
                name=name,
                phone=phone,
                chat_id=chat_id,
                email=email,
                message_type=message_type,
                attachment=attachment,
                unsorted=unsorted,
            )

    def manager_writes(
        self, account: FakeAccount, lead_id: int, *, text: str, user_id: int | None = None
    ) -> dict[str, Any]:
        """A Kommo user answers on the lead's chat (LookupError when the lead has no chat)."""
        with self.lock:
            user = account.users[user_id] if user_id else account.admin
            author = {"id": user["id"], "type": self.user_author_type, "name": user["name"], "avatar_url": ""}
            return crm.outgoing_message(self, account, lead_id, text, author)

    def delete_lead(self, account: FakeAccount, lead_id: int) -> None:
        with self.lock:
            crm.delete_lead(self, account, lead_id)

    def add_webhook(self, account: FakeAccount, destination: str, settings: list[str]) -> dict[str, Any]:
        """Register a webhook as an admin would in the UI (the API route is POST /api/v4/webhooks)."""
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise ValueError(f"unknown webhook settings: {sorted(unknown)}")
        with self.lock:
            hook = {
                "id": self.ids.next("webhook"),
                "destination": destination,
                "created_at": int(self.now()),
                "updated_at": int(self.now()),
                "account_id": account.id,
                "created_by": account.admin["id"],
                "sort": 1,
                "disabled": False,
                "settings": list(settings),
            }
            account.webhooks.append(hook)
            return hook

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Block until every queued webhook delivery is done (True) or `timeout` passed (False)."""
        return self.emitter.wait(timeout)

    # -- Salesbot -------------------------------------------------------------------------------
    def add_salesbot(
        self,
        account: FakeAccount,
        *,
        name: str,
        widget_request_url: str,
        data: dict[str, Any] | None = None,
        client_id: str | None = None,
        answer_template: str = "{{json.answer}}",
    ) -> int:
        with self.lock:
            return salesbot.add_salesbot(
                self,
                account,
                name=name,
                widget_request_url=widget_request_url,
                data=data,
                client_id=client_id,
                answer_template=answer_template,
            )

    def run_salesbot(self, account: FakeAccount, bot_id: int, lead_id: int) -> dict[str, Any]:
        """Launch a bot on a lead as a Digital Pipeline trigger would (the API route is /api/v4/bots/run)."""
        with self.lock:
            return salesbot.start(self, account, account.salesbots[bot_id], "leads", lead_id)

    def wait_for_salesbot(self, account: FakeAccount, *, timeout: float = 5.0) -> bool:
        """Block until no run of the account waits for its widget_request answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(run["status"] != "requested" for run in account.salesbot_runs):
                    return True
            time.sleep(0.02)
        return False

    # -- Chats API ------------------------------------------------------------------------------
    def add_chat_channel(
        self,
        channel_id: str,
        secret: str,
        webhook_url: str,
        *,
        code: str = "ai.agent.platform",
        client_id: str | None = None,
    ) -> ChatChannel:
        with self.lock:
            channel = ChatChannel(channel_id, secret, webhook_url, code=code, client_id=client_id)
            self.channels[channel_id] = channel
            return channel

    def manager_writes_in_channel(
        self, account: FakeAccount, conversation_id: str, *, text: str, user_id: int | None = None
    ) -> dict[str, Any]:
        """A Kommo user writes into a chat of a custom channel (found by the integration's
        conversation_id or Kommo's chat id): the v2 hook goes to the channel once. Returns the
        message with the hook's answer status in `hook_status`."""
        with self.lock:
            chat = next(
                (c for c in account.chats.values() if conversation_id in (c.get("conversation_id"), c["id"])), None
            )
            if chat is None or not chat.get("channel_id"):
                raise LookupError(f"no custom-channel chat {conversation_id!r}")
            user = account.users[user_id] if user_id else account.admin
        message, status = chats.manager_writes_in_channel(self, account, chat, text, user)
        return {**message, "hook_status": status}

    # -- failures -------------------------------------------------------------------------------
    def fail(
        self, kind: str, *, times: int | None = 1, path_prefix: str | None = None, retry_after: int | None = None
    ) -> None:
        """Script failures of the REST API: "500", "429" (with `Retry-After: retry_after` when
        given), "503" (nginx HTML), "slow" (answers after `slow_seconds`), or any other status as
        problem+json; `times=None` keeps failing. A rule whose `path_prefix` starts with
        `/v2/origin/custom/` scripts the Chats API instead (rules without a prefix leave it alone)."""
        with self.lock:
            self._rules.append(FailureRule(kind, times, path_prefix, retry_after))

    def rule_count(self) -> int:
        """How many scripted failures are still waiting for their request."""
        with self.lock:
            return len(self._rules)

    def heal(self) -> None:
        """Every scripted failure still pending is dropped: Kommo answers normally again."""
        with self.lock:
            self._rules.clear()

    def take_failure(self, path: str, *, chats: bool = False) -> FailureRule | None:
        with self.lock:
            for rule in self._rules:
                if chats and rule.path_prefix is None:
                    continue
                if rule.path_prefix is None or path.startswith(rule.path_prefix):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._rules.remove(rule)
                    return rule
        return None

    # -- plumbing -------------------------------------------------------------------------------
    def call_out(self, kind: str, method: str, url: str, *, timeout: float, **kwargs: Any) -> int | None:
        status, error = oauth.call_out(method, url, timeout=timeout, **kwargs)
        with self.lock:
            self.outgoing.append(
                {"kind": kind, "method": method, "url": url, "status": status, "error": error, "at": self.now()}
            )
        return status

    def _record(self, req: Request) -> RecordedRequest:
        try:
            body: Any = json.loads(req.body) if req.body.strip() else None
        except ValueError:
            body = req.body.decode(errors="replace")
        with self.lock:
            recorded = RecordedRequest(
                method=req.method,
                path=req.path,
                query=req.query,
                headers=req.headers,
                body=body,
                account=req.account,
                listener=req.listener,
                at=self.now(),
            )
            self.requests.append(recorded)
        return recorded

    def _dispatch_account(self, req: Request) -> Response:
        recorded = self._record(req)
        response = self._answer_account(req)
        recorded.status = response.status
        return response

    def _answer_account(self, req: Request) -> Response:
        if req.path == "/oauth2/access_token" and req.method == "POST":
            return oauth.handle_token(self, req)
        if req.path == "/oauth2/account/subdomain" and req.method == "GET":
            return oauth.handle_subdomain(self, req)
        if req.path == "/oauth2/account/current/subdomain" and req.method == "GET":
            return oauth.handle_current_subdomain(self, req)
        if req.path.startswith(("/api/v4/", "/api/v2/salesbot/")) or req.path == "/api/v4":
            return api_v4.dispatch(self, req)
        if req.path == "/" and req.method == "GET":
            return html(
                f"<p>Kommo account {req.account.subdomain}. The UI is at <a href='{self.url}/'>{self.url}/</a>.</p>"
            )
        return problem(404, "Not found")

    def _dispatch_hub(self, req: Request) -> Response:
        recorded = self._record(req)
        response = self._answer_hub(req)
        recorded.status = response.status
        return response

    def _answer_hub(self, req: Request) -> Response:
        if req.path == "/oauth" and req.method == "GET":
            return oauth.consent_page(self, req)
        if req.path == "/oauth/allow" and req.method in ("GET", "POST"):
            return oauth.consent_decision(self, req)
        if req.path.startswith("/v2/origin/custom/"):
            scripted = api_v4.scripted_failure(self.take_failure(req.path, chats=True))
            return scripted if scripted is not None else chats.dispatch(self, req)
        answer = ui.dispatch(self, req)
        return answer if answer is not None else html("<h1>Not found</h1>", 404)

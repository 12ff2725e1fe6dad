"""OAuth 2.0 of the local Kommo (KOMMO.md A1): the consent page on the hub, codes, the token
endpoint with rotating refresh tokens, long-lived tokens, the Bearer check of every API call, the
subdomain look-ups, installing from a widget and the revoke hook; plus the HS256/HS512 JWT helpers.

Wire shapes chosen here:
- Redirect after "Allow" [S + M]: `GET {redirect_uri}?code=…&state=…&referer={base_domain}&platform=2&client_id=…`;
  "Deny": `?error=access_denied&state=…&client_id=…` [M]. `mode=post_message` [M]: the page posts
  `{"status":"ok","code","state","referer","platform","client_id"}` to `window.opener` and closes
  (without an opener it navigates to the redirect instead).
- Access tokens are JWTs (HS256, the fake's own key) with `aud`=client_id, `jti`, `iat`, `nbf`, `exp`,
  `sub`=user id, `account_id`, `base_domain`, `api_domain`=the account's host:port, `scopes`, `version`=2.
  Refresh tokens and codes are opaque `def50200…` strings. Kommo keeps state: a token is only valid
  while the fake knows it (so `expire_access_tokens` and `revoke` work whatever the JWT says).
- A refresh spends the refresh token and, like the League OAuth server Kommo runs, revokes the access
  token of the same grant [M] (`FakeKommo.revoke_access_on_refresh`). Bad/used/expired code or
  refresh token → 400 `{"hint","title","type":".../OAuthProblemJson","status":400,"detail"}` [M]; a wrong
  client_secret → 401 in the same shape [M].
- Revoke hook [M]: `GET {revoke_hook_url}?account_id=…&client_uuid=…&signature=…` with
  signature = hex HMAC-SHA256(key=client_secret, msg=f"{client_uuid}|{account_id}"), 3 s timeout, no retry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html as html_lib
import json
import secrets
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import requests

from integrations.kommo.fakes.server import (
    Request,
    Response,
    html,
    plain_json,
    problem,
    redirect,
)
from integrations.kommo.fakes.state import FakeAccount, FakeIntegration, TokenRecord

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FakeKommo

OAUTH_PROBLEM_TYPE = "https://developers.kommo.com/v3/errors/OAuthProblemJson"
UNAUTHORIZED_DETAIL = "Invalid user name or password"
SCOPES = ["crm", "files", "files_delete", "notifications", "push_notifications"]


# -- JWT (HS256 / HS512, stdlib) ---------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_HASHES = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}


def jwt_encode(claims: dict[str, Any], secret: str, alg: str = "HS256") -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": alg}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), _HASHES[alg]).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def jwt_decode(token: str, secret: str) -> dict[str, Any]:
    """The claims of an HS256 JWT whose signature matches `secret` (expiry not checked); ValueError otherwise."""
    try:
        header, payload, signature = token.split(".")
    except ValueError:
        raise ValueError("not a JWT") from None
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _unb64(signature)):
        raise ValueError("bad signature")
    return json.loads(_unb64(payload))


def _opaque() -> str:
    return "def50200" + secrets.token_hex(64)


# -- tokens -------------------------------------------------------------------------------------


def issue_code(kommo: FakeKommo, account: FakeAccount, client_id: str, user_id: int | None = None) -> str:
    integration = kommo.integrations[client_id]
    integration.installed_on.add(account.id)
    code = _opaque()
    kommo.tokens[code] = TokenRecord(
        token=code,
        kind="code",
        account_id=account.id,
        client_id=client_id,
        user_id=user_id or account.admin["id"],
        expires_at=kommo.now() + kommo.code_ttl,
        redirect_uri=integration.redirect_uri,
    )
    return code


def _access_token(
    kommo: FakeKommo, account: FakeAccount, client_id: str, user_id: int, ttl: float, kind: str, pair: str
) -> str:
    now = int(kommo.now())
    claims = {
        "aud": client_id,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": int(now + ttl),
        "sub": str(user_id),
        "grant_type": "",
        "account_id": account.id,
        "base_domain": "kommo.com",
        "version": 2,
        "scopes": SCOPES,
        "hash_uuid": str(uuid.uuid4()),
        "api_domain": account.base_domain,
    }
    token = jwt_encode(claims, kommo.signing_key)
    kommo.tokens[token] = TokenRecord(token, kind, account.id, client_id, user_id, now + ttl, pair=pair)
    return token


def issue_pair(kommo: FakeKommo, account: FakeAccount, client_id: str, user_id: int) -> dict[str, Any]:
    pair = uuid.uuid4().hex
    access = _access_token(kommo, account, client_id, user_id, kommo.access_token_ttl, "access", pair)
    refresh = _opaque()
    kommo.tokens[refresh] = TokenRecord(
        refresh, "refresh", account.id, client_id, user_id, kommo.now() + kommo.refresh_token_ttl, pair=pair
    )
    return {
        "token_type": "Bearer",
        "expires_in": int(kommo.access_token_ttl),
        "server_time": int(kommo.now()),
        "access_token": access,
        "refresh_token": refresh,
    }


def long_lived_token(kommo: FakeKommo, account: FakeAccount, client_id: str, days: int, user_id: int | None) -> str:
    kommo.integrations[client_id].installed_on.add(account.id)
    return _access_token(
        kommo, account, client_id, user_id or account.admin["id"], days * 86400, "long_lived", uuid.uuid4().hex
    )


def _oauth_problem(status: int, hint: str, detail: str) -> Response:
    title = "Unauthorized" if status == 401 else "Bad request"
    return Response(
        status,
        json.dumps(
            {"hint": hint, "title": title, "type": OAUTH_PROBLEM_TYPE, "status": status, "detail": detail}
        ).encode(),
        "application/problem+json",
    )


_INVALID = "Some parameters are missing or invalid in the request"


def handle_token(kommo: FakeKommo, req: Request) -> Response:
    """`POST /oauth2/access_token` on the account's host."""
    try:
        body = req.json()
    except ValueError:  # Kommo documents JSON; an OAuth client may send a form
        body = _form(req) if req.body.strip() else None
    if not isinstance(body, dict):
        return _oauth_problem(400, "The body must be JSON", _INVALID)
    account: FakeAccount = req.account
    client_id = str(body.get("client_id") or "")
    integration = kommo.integrations.get(client_id)
    if integration is None:
        return _oauth_problem(401, "Client not found", "Client authentication failed")
    if not hmac.compare_digest(str(body.get("client_secret") or ""), integration.client_secret):
        return _oauth_problem(401, "Client secret is invalid", "Client authentication failed")
    if body.get("redirect_uri") != integration.redirect_uri:
        return _oauth_problem(400, "Invalid redirect URI", _INVALID)
    grant = body.get("grant_type")
    with kommo.lock:
        if grant == "authorization_code":
            record = kommo.tokens.get(str(body.get("code") or ""))
            problem_hint = _check_grant(kommo, record, "code", account, integration)
            if problem_hint:
                return _oauth_problem(400, problem_hint, _INVALID)
        elif grant == "refresh_token":
            record = kommo.tokens.get(str(body.get("refresh_token") or ""))
            problem_hint = _check_grant(kommo, record, "refresh", account, integration)
            if problem_hint:
                return _oauth_problem(400, problem_hint, _INVALID)
            if kommo.revoke_access_on_refresh:
                for other in kommo.tokens.values():
                    if other.kind == "access" and other.pair == record.pair:
                        other.revoked = True
        else:
            return _oauth_problem(400, "Unsupported grant type", _INVALID)
        record.used = True
        answer = issue_pair(kommo, account, client_id, record.user_id)
    return plain_json(answer)


def _check_grant(
    kommo: FakeKommo, record: TokenRecord | None, kind: str, account: FakeAccount, integration: FakeIntegration
) -> str:
    what = "Authorization code" if kind == "code" else "Token"
    if record is None or record.kind != kind or record.account_id != account.id:
        return f"Cannot decrypt the {'authorization code' if kind == 'code' else 'refresh token'}"
    if record.client_id != integration.client_id:
        return f"{what} was not issued to this client"
    if record.used or record.revoked:
        return f"{what} has been revoked"
    if record.expires_at <= kommo.now():
        return f"{what} has expired"
    if account.id not in integration.installed_on:
        return "The integration is not installed in this account"
    return ""


def authenticate(kommo: FakeKommo, req: Request) -> TokenRecord | Response:
    """The token record behind the request's Bearer token, or the 401 to answer."""
    record = kommo.tokens.get(req.bearer) if req.bearer else None
    if (
        record is None
        or record.kind not in ("access", "long_lived")
        or record.revoked
        or record.expires_at <= kommo.now()
        or record.account_id != req.account.id
    ):
        return problem(401, UNAUTHORIZED_DETAIL)
    return record


def _domain_answer(account: FakeAccount) -> Response:
    return plain_json(
        {"id": account.id, "subdomain": account.subdomain, "domain": account.base_domain, "top_level_domain": "com"}
    )


def handle_subdomain(kommo: FakeKommo, req: Request) -> Response:
    """`GET /oauth2/account/subdomain` (Bearer) → the account's current domain."""
    with kommo.lock:
        record = authenticate(kommo, req)
    return record if isinstance(record, Response) else _domain_answer(req.account)


def handle_current_subdomain(kommo: FakeKommo, req: Request) -> Response:
    """`GET /oauth2/account/current/subdomain` with `X-Refresh-Token` (a live refresh token)."""
    with kommo.lock:
        record = kommo.tokens.get(req.header("x-refresh-token"))
        if record is None or record.kind != "refresh" or record.used or record.revoked:
            return problem(401, UNAUTHORIZED_DETAIL)
        account = kommo.accounts[record.account_id]
    return _domain_answer(account)


# -- consent page (hub) -------------------------------------------------------------------------


def redirect_url(integration: FakeIntegration, params: dict[str, Any]) -> str:
    joiner = "&" if "?" in integration.redirect_uri else "?"
    return f"{integration.redirect_uri}{joiner}{urlencode(params)}"


def consent_page(kommo: FakeKommo, req: Request) -> Response:
    """`GET {hub}/oauth?client_id=&state=&mode=popup|post_message`: the accounts and an Allow button."""
    query = req.query
    client_id = str(query.get("client_id") or "")
    integration = kommo.integrations.get(client_id)
    if integration is None:
        return html("<h1>Integration not found</h1>", 404)
    esc = html_lib.escape
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{esc(str(query.get(name) or ""))}">'
        for name in ("client_id", "state", "mode")
    )
    accounts = "".join(
        f'<label><input type="radio" name="account_id" value="{a.id}" {"checked" if i == 0 else ""}> '
        f"{esc(a.name)} <small>({esc(a.subdomain)}, {esc(a.base_domain)})</small></label><br>"
        for i, a in enumerate(kommo.accounts.values())
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Kommo (local): grant access</title>
<style>body{{font-family:sans-serif;max-width:34rem;margin:3rem auto}}
button{{padding:.5rem 1.5rem;margin-right:1rem}}</style>
</head><body><h1>{esc(integration.name)}</h1>
<p>This integration asks for access to your Kommo account.</p>
<form method="post" action="/oauth/allow">{hidden}<fieldset><legend>Account</legend>{accounts}</fieldset>
<p><button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></p></form></body></html>"""
    return html(page)


def consent_decision(kommo: FakeKommo, req: Request) -> Response:
    """`POST {hub}/oauth/allow` from the consent form: issue a code and send the browser back."""
    form = req.query if req.method == "GET" else _form(req)
    client_id = str(form.get("client_id") or "")
    integration = kommo.integrations.get(client_id)
    if integration is None:
        return html("<h1>Integration not found</h1>", 404)
    state = str(form.get("state") or "")
    if form.get("decision") == "deny":
        params: dict[str, Any] = {"error": "access_denied", "state": state, "client_id": client_id}
        message: dict[str, Any] = {"status": "error", "error": "access_denied", "state": state}
    else:
        try:
            account = kommo.accounts[int(form.get("account_id") or next(iter(kommo.accounts)))]
        except (KeyError, ValueError, StopIteration):
            return html("<h1>No such account</h1>", 400)
        with kommo.lock:
            code = issue_code(kommo, account, client_id)
        params = {"code": code, "state": state, "referer": account.base_domain, "platform": 2, "client_id": client_id}
        message = {"status": "ok", **params}
    target = redirect_url(integration, params)
    if form.get("mode") != "post_message":
        return redirect(target)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Kommo (local)</title></head><body>
<p>Access granted, you can close this window.</p>
<script>
const message = {json.dumps(message)};
if (window.opener) {{ window.opener.postMessage(message, "*"); window.close(); }}
else {{ window.location.href = {json.dumps(target)}; }}
</script></body></html>"""
    return html(page)


def _form(req: Request) -> dict[str, Any]:
    return dict(parse_qsl(req.body.decode(errors="replace"), keep_blank_values=True))


# -- installing from a widget, revoking ---------------------------------------------------------


def install_from_widget(kommo: FakeKommo, account: FakeAccount, client_id: str) -> str:
    """What Kommo does when the app is installed from its Marketplace widget: a GET to the redirect
    URI with code, referer and from_widget; 3 s, the answer ignored, never repeated."""
    with kommo.lock:
        code = issue_code(kommo, account, client_id)
    integration = kommo.integrations[client_id]
    url = redirect_url(
        integration,
        {"code": code, "referer": account.base_domain, "platform": 2, "client_id": client_id, "from_widget": 1},
    )
    kommo.call_out("install_from_widget", "GET", url, timeout=3.0)
    return code


def revoke_signature(client_id: str, account_id: int, client_secret: str) -> str:
    return hmac.new(client_secret.encode(), f"{client_id}|{account_id}".encode(), hashlib.sha256).hexdigest()


def revoke(kommo: FakeKommo, account: FakeAccount, client_id: str) -> int | None:
    """The user disables the integration: its tokens die, its chat channels disconnect, the revoke hook is called."""
    integration = kommo.integrations[client_id]
    with kommo.lock:
        integration.installed_on.discard(account.id)
        for record in kommo.tokens.values():
            if record.account_id == account.id and record.client_id == client_id:
                record.revoked = True
        for channel in kommo.channels.values():
            if channel.client_id == client_id:
                channel.connected.pop(account.amojo_id, None)
    if not integration.revoke_hook_url:
        return None
    params = {
        "account_id": account.id,
        "client_uuid": client_id,
        "signature": revoke_signature(client_id, account.id, integration.client_secret),
    }
    joiner = "&" if "?" in integration.revoke_hook_url else "?"
    return kommo.call_out(
        "revoke_hook", "GET", f"{integration.revoke_hook_url}{joiner}{urlencode(params)}", timeout=3.0
    )


def call_out(method: str, url: str, *, timeout: float, **kwargs: Any) -> tuple[int | None, str]:
    """One outgoing call of the fake (hooks, widget requests): the status, or None and the error."""
    try:
        response = requests.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        return None, type(exc).__name__
    return response.status_code, ""

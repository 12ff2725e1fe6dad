"""The local Kommo's OAuth (KOMMO.md A1), driven over HTTP: codes, rotating refresh tokens, 401s,
the consent page and its redirect, installing from a widget, the revoke hook."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver

CLIENT_ID = "7f3c2c1e-0000-4000-8000-000000000001"
SECRET = "integration-secret"


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


@pytest.fixture
def hooks():
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def kommo(hooks):
    with FakeKommo(rate_limit_rps=None) as fake:
        account = fake.add_account(subdomain="acme", name="Acme")
        fake.add_integration(
            account,
            client_id=CLIENT_ID,
            client_secret=SECRET,
            redirect_uri=f"{hooks.url}/callback",
            revoke_hook_url=f"{hooks.url}/revoked",
        )
        fake.account = account
        yield fake


def exchange(kommo, **grant):
    body = {"client_id": CLIENT_ID, "client_secret": SECRET, "redirect_uri": kommo.integrations[CLIENT_ID].redirect_uri}
    return requests.post(f"{kommo.account.base_url}/oauth2/access_token", json={**body, **grant}, timeout=5)


def api_get(kommo, token, path="/api/v4/account"):
    return requests.get(f"{kommo.account.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=5)


def jwt_claims(token):
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_code_exchange_gives_a_jwt_shaped_token_pair():
    with FakeKommo() as kommo:
        account = kommo.add_account(subdomain="acme", name="Acme")
        kommo.add_integration(account, client_id=CLIENT_ID, client_secret=SECRET, redirect_uri="http://app/cb")
        kommo.account = account
        answer = exchange(kommo, grant_type="authorization_code", code=kommo.issue_code(account, CLIENT_ID))
        assert answer.status_code == 200
        body = answer.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 86400
        assert isinstance(body["server_time"], int)
        claims = jwt_claims(body["access_token"])
        assert claims["api_domain"] == account.base_domain
        assert claims["account_id"] == account.id
        assert claims["aud"] == CLIENT_ID
        assert api_get(kommo, body["access_token"]).status_code == 200


def test_a_code_works_once(kommo):
    code = kommo.issue_code(kommo.account, CLIENT_ID)
    assert exchange(kommo, grant_type="authorization_code", code=code).status_code == 200
    again = exchange(kommo, grant_type="authorization_code", code=code)
    assert again.status_code == 400
    assert again.headers["Content-Type"] == "application/problem+json"
    assert "revoked" in again.json()["hint"]


def test_a_code_expires_after_20_minutes(kommo):
    code = kommo.issue_code(kommo.account, CLIENT_ID)
    kommo.advance(20 * 60 + 1)
    assert exchange(kommo, grant_type="authorization_code", code=code).status_code == 400


def test_wrong_secret_and_wrong_redirect_uri_are_refused(kommo):
    code = kommo.issue_code(kommo.account, CLIENT_ID)
    assert exchange(kommo, grant_type="authorization_code", code=code, client_secret="nope").status_code == 401
    assert exchange(kommo, grant_type="authorization_code", code=code, redirect_uri="http://evil/cb").status_code == 400


def test_refresh_rotates_and_the_old_refresh_token_is_dead(kommo):
    first = exchange(kommo, grant_type="authorization_code", code=kommo.issue_code(kommo.account, CLIENT_ID)).json()
    second = exchange(kommo, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    reused = exchange(kommo, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code in (400, 401)
    assert api_get(kommo, second["access_token"]).status_code == 200
    assert exchange(kommo, grant_type="refresh_token", refresh_token=second["refresh_token"]).status_code == 200


def test_an_expired_access_token_gets_a_401_problem(kommo):
    pair = exchange(kommo, grant_type="authorization_code", code=kommo.issue_code(kommo.account, CLIENT_ID)).json()
    kommo.expire_access_tokens(kommo.account)
    answer = api_get(kommo, pair["access_token"], "/api/v4/leads")
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert (body["title"], body["type"], body["status"]) == ("Unauthorized", "https://httpstatus.es/401", 401)
    assert body["detail"]
    # The refresh token still works and gives a token that does.
    fresh = exchange(kommo, grant_type="refresh_token", refresh_token=pair["refresh_token"]).json()
    assert api_get(kommo, fresh["access_token"]).status_code == 200


def test_access_tokens_expire_with_time_and_garbage_is_refused(kommo):
    token = kommo.token_pair(kommo.account, CLIENT_ID)["access_token"]
    assert api_get(kommo, token).status_code == 200
    kommo.advance(86400 + 1)
    assert api_get(kommo, token).status_code == 401
    assert api_get(kommo, "not-a-token").status_code == 401
    assert requests.get(f"{kommo.account.base_url}/api/v4/leads", timeout=5).status_code == 401


def test_a_token_of_one_account_does_not_open_another(kommo):
    other = kommo.add_account(subdomain="other", name="Other")
    token = kommo.token_pair(kommo.account, CLIENT_ID)["access_token"]
    assert (
        requests.get(
            f"{other.base_url}/api/v4/account", headers={"Authorization": f"Bearer {token}"}, timeout=5
        ).status_code
        == 401
    )


def test_long_lived_token(kommo):
    token = kommo.long_lived_token(kommo.account, CLIENT_ID, days=365)
    assert api_get(kommo, token).json()["id"] == kommo.account.id
    kommo.advance(366 * 86400)
    assert api_get(kommo, token).status_code == 401


def test_subdomain_lookups(kommo):
    pair = kommo.token_pair(kommo.account, CLIENT_ID)
    base = kommo.account.base_url
    by_bearer = requests.get(
        f"{base}/oauth2/account/subdomain", headers={"Authorization": f"Bearer {pair['access_token']}"}, timeout=5
    )
    assert by_bearer.json()["domain"] == kommo.account.base_domain
    by_refresh = requests.get(
        f"{base}/oauth2/account/current/subdomain", headers={"X-Refresh-Token": pair["refresh_token"]}, timeout=5
    )
    assert by_refresh.status_code == 200
    assert by_refresh.json()["subdomain"] == "acme"
    bad = requests.get(f"{base}/oauth2/account/current/subdomain", headers={"X-Refresh-Token": "nope"}, timeout=5)
    assert bad.status_code == 401


def test_consent_page_allow_redirects_with_code_referer_and_state(kommo, hooks):
    page = requests.get(
        f"{kommo.url}/oauth", params={"client_id": CLIENT_ID, "state": "st-1", "mode": "popup"}, timeout=5
    )
    assert page.status_code == 200
    assert "Allow" in page.text and "Acme" in page.text
    form = dict(re.findall(r'name="(client_id|state|mode)" value="([^"]*)"', page.text))
    answer = requests.post(
        f"{kommo.url}/oauth/allow",
        data={**form, "account_id": kommo.account.id, "decision": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{hooks.url}/callback"
    assert params["state"] == "st-1"
    assert params["referer"] == kommo.account.base_domain
    assert params["platform"] == "2"
    # Following the redirect reaches our callback; the code there buys tokens on the referer's host.
    requests.get(answer.headers["Location"], timeout=5)
    assert hooks.received[-1].query["code"] == params["code"]
    token_url = f"http://{params['referer']}/oauth2/access_token"
    tokens = requests.post(
        token_url,
        json={
            "client_id": CLIENT_ID,
            "client_secret": SECRET,
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": f"{hooks.url}/callback",
        },
        timeout=5,
    )
    assert tokens.status_code == 200


def test_consent_page_post_message_mode_and_deny(kommo):
    answer = requests.post(
        f"{kommo.url}/oauth/allow",
        data={"client_id": CLIENT_ID, "state": "s", "mode": "post_message", "decision": "allow"},
        timeout=5,
    )
    assert "window.opener.postMessage" in answer.text and "window.close()" in answer.text
    assert kommo.account.base_domain in answer.text
    denied = requests.post(
        f"{kommo.url}/oauth/allow",
        data={"client_id": CLIENT_ID, "state": "s", "decision": "deny"},
        allow_redirects=False,
        timeout=5,
    )
    assert "error=access_denied" in denied.headers["Location"]


def test_install_from_widget_calls_the_redirect_uri_once(kommo, hooks):
    code = kommo.install_from_widget(kommo.account, CLIENT_ID)
    assert hooks.wait_for(1)
    call = hooks.received[0]
    assert call.method == "GET" and call.path == "/callback"
    assert call.query["code"] == code
    assert call.query["referer"] == kommo.account.base_domain
    assert call.query["from_widget"] == "1"
    assert exchange(kommo, grant_type="authorization_code", code=code).status_code == 200


def test_revoke_calls_the_hook_with_a_valid_signature_and_kills_the_tokens(kommo, hooks):
    pair = kommo.token_pair(kommo.account, CLIENT_ID)
    long_lived = kommo.long_lived_token(kommo.account, CLIENT_ID)
    assert kommo.revoke(kommo.account, CLIENT_ID) == 200
    call = hooks.received[-1]
    assert call.method == "GET" and call.path == "/revoked"
    assert call.query["account_id"] == str(kommo.account.id)
    assert call.query["client_uuid"] == CLIENT_ID
    expected = hmac.new(SECRET.encode(), f"{CLIENT_ID}|{kommo.account.id}".encode(), hashlib.sha256).hexdigest()
    assert hmac.compare_digest(call.query["signature"], expected)
    assert api_get(kommo, pair["access_token"]).status_code == 401
    assert api_get(kommo, long_lived).status_code == 401
    assert exchange(kommo, grant_type="refresh_token", refresh_token=pair["refresh_token"]).status_code in (400, 401)

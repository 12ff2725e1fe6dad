"""The SPA's session: the refresh token in an HttpOnly cookie scoped to /api/auth/session, rotated
with a grace window for the tabs of one browser and reuse detection, behind an Origin check
(issue 15, item 9)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from accounts.api.session_cookie import COOKIE_NAME, COOKIE_PATH
from accounts.models import AuditLog
from agent_platform.ws_auth import user_for_access_token
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN, REFRESH, LOGOUT = "/api/auth/login", "/api/auth/session/refresh", "/api/auth/session/logout"
OWN = {"HTTP_ORIGIN": "http://testserver"}
FOREIGN = {"HTTP_ORIGIN": "https://evil.example"}


def browser_login(client: APIClient, email: str, origin: dict = OWN):
    return client.post(LOGIN, {"email": email, "password": PASSWORD, "refresh_cookie": True}, **origin)


def cookie(client: APIClient) -> str:
    return client.cookies[COOKIE_NAME].value


def profile_with(access: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/user/profile")


def code(response) -> str:
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.json()["code"]


def age_blacklisting(seconds: int) -> None:
    """Pretend every rotation so far happened `seconds` ago (past the grace window)."""
    BlacklistedToken.objects.update(blacklisted_at=F("blacklisted_at") - timedelta(seconds=seconds))


class CookieTests:
    def test_login_sets_an_httponly_strict_cookie_scoped_to_the_session_endpoints(self, settings):
        settings.REFRESH_COOKIE_SECURE = True
        user = UserFactory(verified=True)
        client = APIClient()
        response = browser_login(client, user.email)
        assert response.status_code == 200
        body = response.json()
        assert "refresh" not in body and body["access"] and body["user"]["email"] == user.email
        morsel = response.cookies[COOKIE_NAME]
        assert morsel.value
        assert (morsel["path"], morsel["httponly"], morsel["secure"], morsel["samesite"]) == (
            COOKIE_PATH,
            True,
            True,
            "Strict",
        )
        assert morsel["max-age"] == 14 * 24 * 3600
        assert profile_with(body["access"]).status_code == 200

    def test_secure_and_samesite_follow_the_settings(self, settings):
        settings.REFRESH_COOKIE_SECURE, settings.REFRESH_COOKIE_SAMESITE = False, "Lax"
        morsel = browser_login(APIClient(), UserFactory(verified=True).email).cookies[COOKIE_NAME]
        assert (morsel["secure"], morsel["samesite"]) == ("", "Lax")

    def test_api_clients_still_get_both_tokens_in_the_body_and_no_cookie(self):
        user = UserFactory(verified=True)
        response = APIClient().post(LOGIN, {"email": user.email, "password": PASSWORD})
        assert response.json()["refresh"] and COOKIE_NAME not in response.cookies

    @pytest.mark.parametrize("origin", [FOREIGN, {}, {"HTTP_ORIGIN": "null"}, {"HTTP_ORIGIN": "https://testserver"}])
    def test_a_cookie_login_from_another_origin_is_refused(self, origin):
        user = UserFactory(verified=True)
        response = browser_login(APIClient(), user.email, origin)
        assert (response.status_code, code(response)) == (403, "origin_not_allowed")
        assert COOKIE_NAME not in response.cookies

    def test_public_url_and_trusted_origins_are_accepted(self, settings):
        settings.PUBLIC_URL = "https://agents.example.com"
        settings.CSRF_TRUSTED_ORIGINS = ["https://spa.example.org", "https://*.example.net"]
        user = UserFactory(verified=True)
        for origin in ("https://agents.example.com", "https://spa.example.org", "https://app.example.net"):
            assert browser_login(APIClient(), user.email, {"HTTP_ORIGIN": origin}).status_code == 200, origin
        for origin in ("http://agents.example.com", "https://example.org", "https://example.net.evil.io"):
            assert browser_login(APIClient(), user.email, {"HTTP_ORIGIN": origin}).status_code == 403, origin


class SessionRefreshTests:
    def test_refresh_rotates_the_cookie_and_returns_a_working_access_token(self):
        user = UserFactory(verified=True)
        client = APIClient()
        browser_login(client, user.email)
        first = cookie(client)
        response = client.post(REFRESH, **OWN)
        assert response.status_code == 200
        assert set(response.json()) == {"access"}
        assert cookie(client) != first and response.cookies[COOKIE_NAME]["path"] == COOKIE_PATH
        assert profile_with(response.json()["access"]).status_code == 200
        assert user_for_access_token(response.json()["access"]) == user  # the websocket takes it too
        assert client.post(REFRESH, **OWN).status_code == 200  # the new cookie works in turn

    def test_refresh_needs_the_cookie(self):
        response = APIClient().post(REFRESH, **OWN)
        assert (response.status_code, code(response)) == (401, "token_not_valid")

    @pytest.mark.parametrize("origin", [FOREIGN, {}])
    def test_refresh_from_another_origin_is_refused_and_leaves_the_session_alone(self, origin):
        client = APIClient()
        browser_login(client, UserFactory(verified=True).email)
        before = cookie(client)
        response = client.post(REFRESH, **origin)
        assert (response.status_code, code(response)) == (403, "origin_not_allowed")
        assert cookie(client) == before
        assert client.post(REFRESH, **OWN).status_code == 200

    def test_the_body_endpoints_ignore_the_cookie(self):
        client = APIClient()
        browser_login(client, UserFactory(verified=True).email)
        assert code(client.post("/api/auth/refresh", {}, **OWN)) == "validation_error"
        assert code(client.post("/api/auth/logout", {}, **OWN)) == "validation_error"
        assert client.post(REFRESH, **OWN).status_code == 200

    def test_two_tabs_refreshing_with_the_same_cookie_both_stay_logged_in(self):
        user = UserFactory(verified=True)
        tab_a = APIClient()
        browser_login(tab_a, user.email)
        tab_b = APIClient()  # the same browser: the same cookie, sent before tab A's answer came back
        tab_b.cookies[COOKIE_NAME] = cookie(tab_a)

        assert tab_a.post(REFRESH, **OWN).status_code == 200
        late = tab_b.post(REFRESH, **OWN)
        assert late.status_code == 200
        assert profile_with(late.json()["access"]).status_code == 200
        # Tab A's answer already put the session's current token in the browser: tab B's must not
        # overwrite it with anything.
        assert COOKIE_NAME not in late.cookies
        assert tab_a.post(REFRESH, **OWN).status_code == 200

    def test_a_rotated_token_used_after_the_grace_window_ends_the_session(self):
        user = UserFactory(verified=True)
        other_device = APIClient()
        browser_login(other_device, user.email)
        client = APIClient()
        browser_login(client, user.email)
        stolen = cookie(client)
        assert client.post(REFRESH, **OWN).status_code == 200
        age_blacklisting(31)

        thief = APIClient()
        thief.cookies[COOKIE_NAME] = stolen
        assert code(thief.post(REFRESH, **OWN)) == "token_not_valid"
        # Reuse detected: the session's current token is revoked too, and the owner is logged out…
        assert code(client.post(REFRESH, **OWN)) == "token_not_valid"
        assert AuditLog.objects.unscoped_across_workspaces().filter(action="auth.refresh_reused", actor=user).exists()
        # …but not the user's other sessions.
        assert other_device.post(REFRESH, **OWN).status_code == 200

    def test_without_a_grace_window_the_race_ends_the_session(self, settings):
        settings.REFRESH_REUSE_GRACE_SECONDS = 0
        client = APIClient()
        browser_login(client, UserFactory(verified=True).email)
        replay = APIClient()
        replay.cookies[COOKIE_NAME] = cookie(client)
        assert client.post(REFRESH, **OWN).status_code == 200
        assert replay.post(REFRESH, **OWN).status_code == 401
        assert client.post(REFRESH, **OWN).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_truly_concurrent_refreshes_of_one_cookie_all_succeed():
    """Separate connections at the same moment: the row lock orders them, the grace window lets the
    losers through."""
    user = UserFactory(verified=True)
    login = APIClient()
    browser_login(login, user.email)
    shared = cookie(login)
    barrier, results = threading.Barrier(4), []

    def tab():
        client = APIClient()
        client.cookies[COOKIE_NAME] = shared
        barrier.wait()
        try:
            response = client.post(REFRESH, **OWN)
            results.append((response.status_code, COOKIE_NAME in response.cookies))
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [(200, False)] * 3 + [(200, True)]


class SessionLogoutTests:
    def test_logout_ends_the_session_and_clears_the_cookie(self):
        client = APIClient()
        browser_login(client, UserFactory(verified=True).email)
        token = cookie(client)
        response = client.post(LOGOUT, **OWN)
        assert response.status_code == 204
        cleared = response.cookies[COOKIE_NAME]
        assert (cleared.value, cleared["max-age"], cleared["path"]) == ("", 0, COOKIE_PATH)
        again = APIClient()
        again.cookies[COOKIE_NAME] = token
        assert code(again.post(REFRESH, **OWN)) == "token_not_valid"

    def test_logout_with_a_token_another_tab_rotated_still_ends_the_session(self):
        tab_a = APIClient()
        browser_login(tab_a, UserFactory(verified=True).email)
        tab_b = APIClient()
        tab_b.cookies[COOKIE_NAME] = cookie(tab_a)
        assert tab_a.post(REFRESH, **OWN).status_code == 200
        assert tab_b.post(LOGOUT, **OWN).status_code == 204
        assert code(tab_a.post(REFRESH, **OWN)) == "token_not_valid"

    def test_logout_without_a_valid_cookie_still_answers_204(self):
        client = APIClient()
        assert client.post(LOGOUT, **OWN).status_code == 204
        client.cookies[COOKIE_NAME] = "garbage"
        assert client.post(LOGOUT, **OWN).status_code == 204

    def test_logout_from_another_origin_is_refused(self):
        client = APIClient()
        browser_login(client, UserFactory(verified=True).email)
        response = client.post(LOGOUT, **FOREIGN)
        assert (response.status_code, code(response)) == (403, "origin_not_allowed")
        assert COOKIE_NAME not in response.cookies
        assert client.post(REFRESH, **OWN).status_code == 200


class PasswordChangeCookieTests:
    def test_the_new_refresh_token_goes_in_the_cookie_and_other_sessions_end(self):
        user = UserFactory(verified=True)
        elsewhere = APIClient()
        browser_login(elsewhere, user.email)
        client = APIClient()
        access = browser_login(client, user.email).json()["access"]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        changed = client.post(
            "/api/user/password",
            {"current_password": PASSWORD, "new_password": "fresh passphrase 42", "refresh_cookie": True},
            **OWN,
        )
        assert changed.status_code == 200 and set(changed.json()) == {"access"}
        assert COOKIE_NAME in changed.cookies
        client.credentials()
        assert client.post(REFRESH, **OWN).status_code == 200
        assert code(elsewhere.post(REFRESH, **OWN)) == "token_not_valid"

    def test_the_cookie_is_not_set_for_another_origin(self):
        user = UserFactory(verified=True)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {browser_login(client, user.email).json()['access']}")
        refused = client.post(
            "/api/user/password",
            {"current_password": PASSWORD, "new_password": "fresh passphrase 42", "refresh_cookie": True},
            **FOREIGN,
        )
        assert code(refused) == "origin_not_allowed"
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

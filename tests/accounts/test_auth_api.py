"""Auth endpoints and their security behaviour (issue 3, point 2)."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.models import AuditLog, Membership, User, UserToken
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import link_token

pytestmark = pytest.mark.django_db

REGISTER, LOGIN, LOGOUT, REFRESH = "/api/auth/register", "/api/auth/login", "/api/auth/logout", "/api/auth/refresh"
FORGOT, RESET = "/api/auth/forgot-password", "/api/auth/reset-password"
VERIFY, RESEND = "/api/auth/verify-email", "/api/auth/verify-email/resend"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def login(api: APIClient, email: str, password: str = PASSWORD, **extra):
    return api.post(LOGIN, {"email": email, "password": password}, **extra)


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.json()


class RegisterTests:
    def test_register_creates_user_workspace_and_sends_verification(self, api, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(REGISTER, {"email": "New@Example.com", "password": PASSWORD, "name": "Ana"})
        assert response.status_code == 202
        user = User.objects.get(email="new@example.com")
        assert user.email_verified_at is None
        assert Membership.objects.get(user=user).role == "owner"
        assert [m.to for m in mail.outbox] == [["new@example.com"]]
        assert mail.outbox[0].subject == "Confirm your email address"
        assert f"{settings.PUBLIC_URL}/verify-email?token=" in mail.outbox[0].body
        assert AuditLog.objects.unscoped_across_workspaces().filter(action="auth.registered", actor=user).exists()

    def test_register_answers_the_same_for_an_existing_email(self, api, django_capture_on_commit_callbacks):
        UserFactory(prefix="taken", verified=True)
        taken = User.objects.get()
        fresh = api.post(REGISTER, {"email": "fresh@example.com", "password": PASSWORD})
        with django_capture_on_commit_callbacks(execute=True):
            again = api.post(REGISTER, {"email": taken.email.upper(), "password": PASSWORD})
        assert (again.status_code, again.json()) == (fresh.status_code, fresh.json())
        assert User.objects.filter(email__iexact=taken.email).count() == 1
        assert mail.outbox[-1].to == [taken.email]
        assert mail.outbox[-1].subject == "You already have an account"

    @pytest.mark.parametrize(
        "password",
        ["short-pw1", "password123", "qwertyuiop"],  # too short; on the common list (twice)
    )
    def test_weak_passwords_are_refused(self, api, password):
        response = api.post(REGISTER, {"email": "weak@example.com", "password": password})
        assert response.status_code == 400
        assert problem(response)["code"] == "password_invalid"
        assert "password" in response.json()["errors"]
        assert not User.objects.exists()

    @pytest.mark.parametrize(
        "password",
        [
            "lowercase letters only here",  # no composition rules
            "x" * 3 + "correct horse battery staple and more words to reach sixty-four!",  # 64+
            "пароль из русских слов достаточно длинный",
            "a" * 10 + "b" * 118,  # 128 characters
        ],
    )
    def test_long_and_plain_passphrases_are_accepted(self, api, password):
        response = api.post(REGISTER, {"email": "ok@example.com", "password": password})
        assert response.status_code == 202, response.content
        assert User.objects.get().check_password(password)

    def test_password_hashing_is_argon2_first_outside_tests(self):
        from agent_platform.settings import base

        assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        assert base.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 10

    def test_russian_user_gets_the_russian_email(self, api, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            api.post(REGISTER, {"email": "ru@example.com", "password": PASSWORD, "language": "ru", "name": "Иван"})
        message = mail.outbox[-1]
        assert message.subject == "Подтвердите адрес электронной почты"
        assert "Здравствуйте, Иван!" in message.body


class VerifyEmailTests:
    def register(self, api, capture) -> str:
        with capture(execute=True):
            api.post(REGISTER, {"email": "v@example.com", "password": PASSWORD})
        return link_token(mail.outbox[-1], "/verify-email")

    def test_unverified_user_cannot_log_in_until_verified_and_token_is_single_use(
        self, api, django_capture_on_commit_callbacks
    ):
        token = self.register(api, django_capture_on_commit_callbacks)
        assert problem(login(api, "v@example.com"))["code"] == "email_not_verified"
        assert api.post(VERIFY, {"token": token}).status_code == 204
        assert login(api, "v@example.com").status_code == 200
        again = api.post(VERIFY, {"token": token})
        assert (again.status_code, problem(again)["code"]) == (400, "token_invalid")

    def test_expired_token_is_refused(self, api, django_capture_on_commit_callbacks):
        token = self.register(api, django_capture_on_commit_callbacks)
        UserToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        assert problem(api.post(VERIFY, {"token": token}))["code"] == "token_invalid"

    def test_resend_replaces_the_old_link_and_answers_the_same_for_anyone(
        self, api, django_capture_on_commit_callbacks
    ):
        old = self.register(api, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            known = api.post(RESEND, {"email": "v@example.com"})
        unknown = api.post(RESEND, {"email": "nobody@example.com"})
        assert (known.status_code, known.json()) == (unknown.status_code, unknown.json()) == (202, known.json())
        new = link_token(mail.outbox[-1], "/verify-email")
        assert problem(api.post(VERIFY, {"token": old}))["code"] == "token_invalid"
        assert api.post(VERIFY, {"token": new}).status_code == 204

    def test_resend_is_throttled_per_client_address(self, api, monkeypatch):
        from rest_framework.throttling import ScopedRateThrottle

        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_email": "2/hour"})
        answers = [api.post(RESEND, {"email": f"a{n}@example.com"}).status_code for n in range(3)]
        assert answers == [202, 202, 429]
        assert problem(api.post(RESEND, {"email": "b@example.com"}))["code"] == "throttled"
        assert api.post(RESEND, {"email": "c@example.com"}, REMOTE_ADDR="192.0.2.9").status_code == 202


class LoginTests:
    def test_login_returns_tokens_and_profile_case_insensitively(self, api):
        user = UserFactory(prefix="Login", verified=True)
        response = login(api, user.email.upper())
        assert response.status_code == 200
        body = response.json()
        assert body["user"]["email"] == user.email and body["access"] and body["refresh"]
        assert AuditLog.objects.unscoped_across_workspaces().filter(action="auth.login", actor=user).exists()

    def test_wrong_password_and_unknown_email_answer_identically(self, api):
        user = UserFactory(verified=True)
        wrong = login(api, user.email, "not the password at all")
        unknown = login(api, "nobody@example.com", "not the password at all")
        assert wrong.status_code == unknown.status_code == 401
        strip = lambda body: {k: v for k, v in body.items() if k != "instance"}  # noqa: E731
        assert strip(problem(wrong)) == strip(problem(unknown))
        assert problem(wrong)["code"] == "invalid_credentials"

    def test_unknown_email_still_runs_the_password_hasher(self, api):
        with mock.patch("accounts.services.auth.make_password") as hasher:
            login(api, "nobody@example.com", "whatever password")
        hasher.assert_called_once_with("whatever password")

    def test_timing_is_similar_for_known_and_unknown_emails_with_argon2(self, api, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        settings.LOGIN_FAILURE_LIMIT = settings.LOGIN_FAILURE_IP_LIMIT = 1000
        user = UserFactory(verified=True)

        def median(email: str) -> float:
            samples = []
            for _ in range(5):
                start = time.perf_counter()
                login(api, email, "wrong password here")
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        known, unknown = median(user.email), median("nobody@example.com")
        assert 0.5 < known / unknown < 2, (known, unknown)

    def test_jwt_settings(self):
        access_lifetime = jwt_settings.ACCESS_TOKEN_LIFETIME
        assert access_lifetime <= timedelta(minutes=15)
        assert jwt_settings.ROTATE_REFRESH_TOKENS and jwt_settings.BLACKLIST_AFTER_ROTATION
        assert jwt_settings.ALGORITHM == "HS256"


class LockoutTests:
    def fail(self, api, email: str, times: int, ip: str = "198.51.100.7"):
        return [login(api, email, "wrong password!!", REMOTE_ADDR=ip).status_code for _ in range(times)]

    def test_five_failures_lock_the_account_with_retry_after(self, api):
        user = UserFactory(verified=True)
        assert self.fail(api, user.email, 5) == [401] * 5
        locked = login(api, user.email, REMOTE_ADDR="203.0.113.50")  # right password, other address
        assert locked.status_code == 429
        assert problem(locked)["code"] == "login_locked"
        assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_FAILURE_WINDOW_SECONDS
        assert AuditLog.objects.unscoped_across_workspaces().filter(action="auth.login_locked").exists()

    def test_unknown_emails_lock_exactly_like_known_ones(self, api):
        self.fail(api, "ghost@example.com", 5)
        assert problem(login(api, "ghost@example.com"))["code"] == "login_locked"

    def test_lock_expires_with_the_window(self, api, settings):
        settings.LOGIN_FAILURE_WINDOW_SECONDS = 1
        user = UserFactory(verified=True)
        self.fail(api, user.email, 5)
        assert login(api, user.email).status_code == 429
        time.sleep(1.2)
        assert login(api, user.email).status_code == 200

    def test_refused_attempts_do_not_extend_the_lock(self, api, settings):
        settings.LOGIN_FAILURE_WINDOW_SECONDS = 2
        user = UserFactory(verified=True)
        self.fail(api, user.email, 5)
        time.sleep(1)
        self.fail(api, user.email, 5)  # refused while locked: must not count
        time.sleep(1.2)
        assert login(api, user.email).status_code == 200

    def test_password_reset_clears_the_lock(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True)
        self.fail(api, user.email, 5)
        with django_capture_on_commit_callbacks(execute=True):
            api.post(FORGOT, {"email": user.email})
        token = link_token(mail.outbox[-1], "/reset-password")
        with django_capture_on_commit_callbacks(execute=True):  # the lock is cleared after commit
            assert api.post(RESET, {"token": token, "password": "a brand new passphrase"}).status_code == 204
        assert login(api, user.email, "a brand new passphrase").status_code == 200

    def test_failures_from_one_address_lock_that_address(self, api, settings):
        settings.LOGIN_FAILURE_IP_LIMIT = 3
        victim = UserFactory(verified=True)
        for n in range(3):
            self.fail(api, f"spray{n}@example.com", 1, ip="192.0.2.1")
        assert login(api, victim.email, REMOTE_ADDR="192.0.2.1").status_code == 429
        assert login(api, victim.email, REMOTE_ADDR="192.0.2.2").status_code == 200

    def test_success_clears_the_account_counter(self, api):
        user = UserFactory(verified=True)
        self.fail(api, user.email, 4)
        assert login(api, user.email).status_code == 200
        assert self.fail(api, user.email, 4) == [401] * 4


class TokenLifecycleTests:
    def test_refresh_rotates_and_the_old_refresh_token_is_refused(self, api):
        user = UserFactory(verified=True)
        first = login(api, user.email).json()["refresh"]
        rotated = api.post(REFRESH, {"refresh": first})
        assert rotated.status_code == 200 and rotated.json()["refresh"] != first
        assert api.post(REFRESH, {"refresh": rotated.json()["refresh"]}).status_code == 200

    def test_a_replayed_refresh_token_ends_its_session_but_no_other(self, api):
        user = UserFactory(verified=True)
        other_session = login(api, user.email).json()["refresh"]
        first = login(api, user.email).json()["refresh"]
        rotated = api.post(REFRESH, {"refresh": first}).json()["refresh"]
        replay = api.post(REFRESH, {"refresh": first})  # no grace window for API clients
        assert (replay.status_code, problem(replay)["code"]) == (401, "token_not_valid")
        assert api.post(REFRESH, {"refresh": rotated}).status_code == 401  # reuse detected: the session ended
        assert api.post(REFRESH, {"refresh": other_session}).status_code == 200

    def test_logout_blacklists_the_refresh_token(self, api):
        user = UserFactory(verified=True)
        refresh = login(api, user.email).json()["refresh"]
        assert api.post(LOGOUT, {"refresh": refresh}).status_code == 204
        assert api.post(REFRESH, {"refresh": refresh}).status_code == 401
        assert api.post(LOGOUT, {"refresh": "garbage"}).status_code == 401

    def test_access_token_is_not_a_refresh_token(self, api):
        user = UserFactory(verified=True)
        access = login(api, user.email).json()["access"]
        assert api.post(REFRESH, {"refresh": access}).status_code == 401


class PasswordResetTests:
    def request_reset(self, api, capture, email: str) -> str:
        with capture(execute=True):
            assert api.post(FORGOT, {"email": email}).status_code == 202
        return link_token(mail.outbox[-1], "/reset-password")

    def test_forgot_answers_the_same_and_mails_only_real_accounts(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True)
        with django_capture_on_commit_callbacks(execute=True):
            known = api.post(FORGOT, {"email": user.email})
            unknown = api.post(FORGOT, {"email": "nobody@example.com"})
        assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
        assert [m.to for m in mail.outbox] == [[user.email]]

    def test_reset_is_single_use_and_revokes_every_refresh_token(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True)
        sessions = [login(api, user.email).json()["refresh"] for _ in range(2)]
        access = login(api, user.email).json()["access"]
        token = self.request_reset(api, django_capture_on_commit_callbacks, user.email)
        assert api.post(RESET, {"token": token, "password": "another good passphrase"}).status_code == 204
        for refresh in sessions:
            assert api.post(REFRESH, {"refresh": refresh}).status_code == 401
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        assert problem(api.get("/api/user/profile"))["code"] == "session_ended"
        api.credentials()
        again = api.post(RESET, {"token": token, "password": "yet another passphrase"})
        assert problem(again)["code"] == "token_invalid"
        assert login(api, user.email, "another good passphrase").status_code == 200
        assert login(api, user.email).status_code == 401

    def test_reset_link_expires_within_an_hour(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True)
        token = self.request_reset(api, django_capture_on_commit_callbacks, user.email)
        lifetime = UserToken.objects.get().expires_at - UserToken.objects.get().created_at
        assert lifetime <= timedelta(hours=1, seconds=1)
        UserToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        assert problem(api.post(RESET, {"token": token, "password": "another good passphrase"}))["code"] == (
            "token_invalid"
        )

    def test_a_weak_new_password_does_not_use_up_the_link(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True)
        token = self.request_reset(api, django_capture_on_commit_callbacks, user.email)
        assert problem(api.post(RESET, {"token": token, "password": "short"}))["code"] == "password_invalid"
        assert api.post(RESET, {"token": token, "password": "another good passphrase"}).status_code == 204

    def test_reset_email_in_russian(self, api, django_capture_on_commit_callbacks):
        user = UserFactory(verified=True, language="ru")
        self.request_reset(api, django_capture_on_commit_callbacks, user.email)
        assert mail.outbox[-1].subject == "Сброс пароля"
        assert "Ссылка одноразовая" in mail.outbox[-1].body


class PasswordChangeTests:
    def test_change_needs_the_current_password_and_revokes_other_sessions(self, api):
        user = UserFactory(verified=True)
        other_session = login(api, user.email).json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {other_session['access']}")
        wrong = api.post("/api/user/password", {"current_password": "nope nope nope", "new_password": "fresh pass 42"})
        assert problem(wrong)["code"] == "password_incorrect"
        changed = api.post("/api/user/password", {"current_password": PASSWORD, "new_password": "fresh passphrase 42"})
        assert changed.status_code == 200
        assert api.post(REFRESH, {"refresh": other_session["refresh"]}).status_code == 401
        assert api.post(REFRESH, {"refresh": changed.json()["refresh"]}).status_code == 200
        api.credentials()
        assert login(api, user.email, "fresh passphrase 42").status_code == 200

    def test_change_ends_every_other_session_at_once_and_keeps_this_one(self, api):
        from agent_platform.ws_auth import user_for_access_token

        user = UserFactory(verified=True)
        this, other = login(api, user.email).json(), login(api, user.email).json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {other['access']}")
        assert api.get("/api/user/profile").status_code == 200
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {this['access']}")
        changed = api.post("/api/user/password", {"current_password": PASSWORD, "new_password": "fresh passphrase 42"})
        assert changed.status_code == 200
        # Both old access tokens were issued within this second, and both stop working now.
        for old in (this["access"], other["access"]):
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {old}")
            refused = api.get("/api/user/profile")
            assert refused.status_code == 401 and problem(refused)["code"] == "session_ended"
            assert user_for_access_token(old) is None  # the websocket refuses it too
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {changed.json()['access']}")
        assert api.get("/api/user/profile").status_code == 200
        assert user_for_access_token(changed.json()["access"]) == user
        rotated = api.post(REFRESH, {"refresh": changed.json()["refresh"]}).json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {rotated['access']}")
        assert api.get("/api/user/profile").status_code == 200

    def test_anonymous_cannot_change_a_password(self, api):
        assert api.post("/api/user/password", {}).status_code == 401

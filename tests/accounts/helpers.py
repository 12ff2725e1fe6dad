"""Helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import timezone

from accounts.models import User
from tests.conftest import make_user

PASSWORD = "correct horse battery"


def verified_user(prefix: str = "user", **fields) -> User:
    return make_user(prefix, email_verified_at=timezone.now(), **fields)


def link_token(message: mail.EmailMessage, route: str) -> str:
    """The token of the SPA link `route?token=…` in an email's body."""
    found = re.search(rf"{re.escape(route)}\?token=([\w.\-]+)", message.body)
    assert found, message.body
    return found.group(1)

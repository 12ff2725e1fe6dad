"""Helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.core import mail


def link_token(message: mail.EmailMessage, route: str) -> str:
    """The token of the SPA link `route?token=…` in an email's body."""
    found = re.search(rf"{re.escape(route)}\?token=([\w.\-]+)", message.body)
    assert found, message.body
    return found.group(1)

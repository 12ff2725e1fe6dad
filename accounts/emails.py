"""Transactional emails, rendered from per-language templates and sent through Django's backend.

Templates live in `accounts/templates/accounts/email/<language>/<name>.subject.txt` and
`<name>.txt`. Languages without templates fall back to English.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from agent_platform.request_context import after_response

EMAIL_LANGUAGES = ("en", "ru")


def email_language(language: str | None) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in EMAIL_LANGUAGES else "en"


def public_link(path: str) -> str:
    """An absolute link to a route of the SPA (e.g. `/reset-password?token=…`)."""
    return f"{settings.PUBLIC_URL}{path}"


def email_render(*, template: str, language: str | None, context: dict) -> tuple[str, str]:
    lang = email_language(language)
    context = {"public_url": settings.PUBLIC_URL, **context}
    subject = render_to_string(f"accounts/email/{lang}/{template}.subject.txt", context)
    body = render_to_string(f"accounts/email/{lang}/{template}.txt", context)
    return " ".join(subject.split()), body


def email_send(*, to: str, template: str, language: str | None, context: dict) -> None:
    subject, body = email_render(template=template, language=language, context=context)
    EmailMessage(subject=subject, body=body, to=[to]).send()


def email_send_after_response(*, to: str, template: str, language: str | None, context: dict) -> None:
    """`email_send` once the request's answer is out: for the mails only some addresses get (reset,
    verification, "you already have an account"), whose sending time would tell a caller whether
    the address has an account. Outside a request (a task, the shell) it is sent at once."""
    after_response(lambda: email_send(to=to, template=template, language=language, context=context))

"""RFC 9457 problem responses: one error shape for every error the API returns.

`{"type", "title", "status", "detail", "code", "instance", "errors": {field: [messages]}}` with the
media type `application/problem+json`. `code` is stable and snake_case; the SPA branches on it.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import csrf
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from agent_platform.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)
# A dependency out of reach (PostgreSQL, Redis) is not the request's fault nor a bug: 503, come back soon.
UNAVAILABLE = (DatabaseOperationalError, DatabaseInterfaceError, RedisConnectionError, RedisTimeoutError)
UNAVAILABLE_RETRY_AFTER = 5


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    instance: str | None = None,
    errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:agent-platform:problem:{code}",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field.sub.0": ["message", …]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _first_message(errors: dict[str, list[str]]) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
    return "Invalid input."


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF EXCEPTION_HANDLER. Unknown exceptions return None: Django logs them and answers 500
    through `server_error` below, in the same shape."""
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, DomainError):
        return Response(
            _domain_body(exc, instance), status=exc.status, headers=_retry(exc), content_type=PROBLEM_CONTENT_TYPE
        )

    if isinstance(exc, UNAVAILABLE):
        logger.warning("dependency unavailable", exc_info=exc, extra={"path": instance})
        body = problem_body(
            status=503,
            code="service_unavailable",
            detail="A service the platform depends on is briefly unavailable; please try again shortly.",
            instance=instance,
            retry_after=UNAVAILABLE_RETRY_AFTER,
        )
        headers = {"Retry-After": str(UNAVAILABLE_RETRY_AFTER)}
        return Response(body, status=503, headers=headers, content_type=PROBLEM_CONTENT_TYPE)

    if isinstance(exc, DataError):
        # A value the validation let through that the column cannot hold (out of range, too long, a NUL
        # character): the request's input, not a server fault. Logged: its field wants a validator.
        logger.warning("value refused by the database", exc_info=exc, extra={"path": instance})
        body = problem_body(
            status=400,
            code="invalid_value",
            title="Invalid input",
            detail="A value in the request cannot be stored or compared (too long, out of range, or a NUL character).",
            instance=instance,
        )
        return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    extra: dict[str, Any] = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
        extra["retry_after"] = int(exc.wait)

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = problem_body(
            status=exc.status_code,
            code="validation_error",
            title="Invalid input",
            detail=_first_message(errors),
            instance=instance,
            errors=errors,
        )
    else:
        detail, code = exc.detail, exc.get_codes()
        if isinstance(detail, dict):  # simplejwt's InvalidToken carries {"detail", "code", "messages"}
            code = str(detail.get("code", exc.default_code))
            detail = detail.get("detail", exc.default_detail)
        body = problem_body(
            status=exc.status_code,
            code=str(code),
            detail=str(detail),
            instance=instance,
            **extra,
        )
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _domain_body(exc: DomainError, instance: str | None) -> dict[str, Any]:
    return problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        instance=instance,
        errors=exc.errors,
        **exc.extra,
    )


def _retry(exc: DomainError) -> dict[str, str] | None:
    """A domain error that says when to come back (e.g. a login lockout) says it in the header too."""
    return {"Retry-After": str(int(exc.extra["retry_after"]))} if "retry_after" in exc.extra else None


def domain_problem_response(request: HttpRequest, exc: DomainError) -> JsonResponse:
    """A DomainError as the problem DRF's handler would give, for the few plain Django views (hot
    entry points that skip DRF's request stack)."""
    return JsonResponse(
        _domain_body(exc, request.path), status=exc.status, headers=_retry(exc), content_type=PROBLEM_CONTENT_TYPE
    )


def problem_response(request: HttpRequest, *, status: int, code: str, detail: str) -> JsonResponse:
    body = problem_body(status=status, code=code, detail=detail, instance=request.path)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """handler404 for URLs that no view matched."""
    return problem_response(request, status=404, code="not_found", detail="Nothing is found at this address.")


def server_error(request: HttpRequest) -> JsonResponse:
    """handler500: the exception itself was already logged by Django's request logger."""
    return problem_response(
        request,
        status=500,
        code="server_error",
        detail="The server failed to process the request. It has been logged; please try again.",
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, status=400, code="bad_request", detail="The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, status=403, code="permission_denied", detail="Permission denied.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the API's problem under /api/ (its views never use the session, but
    Django's middleware answers before an unknown or unmatched API address reaches a view); the
    admin keeps Django's page."""
    if request.path.startswith("/api/"):
        return problem_response(
            request, status=403, code="csrf_failed", detail=f"CSRF verification failed: {reason or 'refused'}."
        )
    return csrf.csrf_failure(request, reason=reason)

import logging
import re
import time
import uuid

from django.conf import settings

from agent_platform.logs import request_id_var
from agent_platform.request_context import collecting_after_response, origin_of, request_origin, run_after_response

access_log = logging.getLogger("agent_platform.access")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_for(incoming: str) -> str:
    """The request's id: the caller's X-Request-ID if it is sane, else a new one."""
    return incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_access(method: str, path: str, status: int, started: float) -> None:
    """The request's one access line (`started`: its time.perf_counter() on arrival)."""
    if access_log.isEnabledFor(logging.INFO):
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        extra = {"method": method, "path": path, "status": status, "duration_ms": duration_ms}
        access_log.info("%s %s %s", method, path, status, extra=extra)


class RequestIdMiddleware:
    """Tags each request with an id (the caller's X-Request-ID if it is sane), logs one access line,
    and returns the id in the response so a user's report can be matched to the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.headers.get("X-Request-ID", ""))
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            log_access(request.method, request.path, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)


class RequestOriginMiddleware:
    """Records where the request comes from (address, user agent) for the audit log and the login
    lockout, and runs the request's `after_response` work once the answer is out
    (`agent_platform.request_context`): the server closes a response after sending its last byte
    (WSGI and Django's ASGI handler alike), and the response runs its closers then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_origin(origin_of(request)), collecting_after_response() as pending:
            response = self.get_response(request)
        if pending:
            # HttpResponseBase's own list of what close() runs (FileResponse closes its file there).
            response._resource_closers.append(lambda: run_after_response(pending))
        return response


class ContentSecurityPolicyMiddleware:
    """Sets `Content-Security-Policy` (settings.CONTENT_SECURITY_POLICY) on every answer that has
    none: `frame-ancestors 'none'` is X-Frame-Options DENY for browsers that follow CSP only. The
    policy restricts what no page of ours needs (framing, plugins, another base URL), never scripts
    or styles, so the SPA's build and the API docs work unchanged."""

    def __init__(self, get_response):
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response

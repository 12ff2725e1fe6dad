"""The account webhooks' own ASGI application (integrations/api/webhook_asgi.py): it answers a stored
or redelivered webhook's 200 itself; everything else gets exactly the Django view's answer, from the
body it already read."""

import json

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.db import OperationalError

from integrations.kommo import services
from tests.integrations.kommo.factories import KommoIntegrationFactory
from tests.integrations.kommo.test_entry_points import body_for, deliveries

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker_process")]


@pytest.fixture
def integration(workspace):
    return KommoIntegrationFactory(workspace=workspace)


def request(method: str, path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None):
    """One request through the platform's ASGI application, its body in `chunks` as uvicorn hands
    them over: (status, headers, body)."""
    from agent_platform.asgi import application

    async def run():
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"testserver"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", str(sum(map(len, chunks))).encode()),
                *(headers or []),
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        communicator = ApplicationCommunicator(application, scope)
        for n, chunk in enumerate(chunks):
            await communicator.send_input({"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1})
        start = await communicator.receive_output(10)
        content = await communicator.receive_output(10)
        await communicator.wait(10)
        return start, content

    start, content = async_to_sync(run)()
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, json.loads(content["body"])


def halves(text: str) -> list[bytes]:
    data = text.encode()
    return [data[: len(data) // 2], data[len(data) // 2 :]]


def test_a_webhook_in_two_chunks_is_stored_once_and_answered_with_its_request_id(integration):
    url = f"/api/webhooks/kommo/{integration.webhook_secret}/message"
    status, headers, body = request("POST", url, halves(body_for(integration)), [(b"x-request-id", b"kommo-42")])
    assert (status, body) == (200, {"ok": True, "duplicate": False, "events": 1})
    assert (headers["content-type"], headers["x-request-id"]) == ("application/json", "kommo-42")
    status, headers, body = request("POST", url, [body_for(integration).encode()], [(b"x-request-id", b"bad id!")])
    assert (status, body["duplicate"]) == (200, True)  # Kommo delivers again: nothing changes
    assert headers["x-request-id"] != "bad id!" and len(headers["x-request-id"]) == 32
    assert deliveries(integration) == 1


def test_refusals_are_the_django_views_answers_from_the_body_already_read(integration, settings):
    url = f"/api/webhooks/kommo/{integration.webhook_secret}"
    damaged = "leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&leads%5Bstatus%5D%5B0%5D%5B&account%5Bid%5D=1"
    answers = {
        "damaged": request("POST", url, halves(damaged)),  # replayed whole: a lost half would read as valid
        "foreign": request("POST", url, [body_for(integration, account=1).encode()]),
        "get": request("GET", url, [b""]),
    }
    settings.KOMMO_WEBHOOK_MAX_BYTES = 100
    answers["large"] = request("POST", url, halves(body_for(integration) + "&pad=" + "x" * 200))
    seen = {name: (status, headers["content-type"], body["code"]) for name, (status, headers, body) in answers.items()}
    problem = "application/problem+json"
    assert seen == {
        "damaged": (400, problem, "kommo_webhook_invalid"),
        "foreign": (404, problem, "not_found"),
        "get": (405, problem, "method_not_allowed"),
        "large": (413, problem, "kommo_webhook_too_large"),
    }
    assert all(headers["x-request-id"] for _, headers, _ in answers.values())
    assert deliveries(integration) == 0


def test_a_failure_in_the_fast_path_is_left_to_the_django_handler(integration, monkeypatch):
    receive, calls = services.delivery_receive, []

    def fails_once(**kwargs):
        calls.append(kwargs["secret"])
        if len(calls) == 1:
            raise OperationalError("the connection was lost")
        return receive(**kwargs)

    monkeypatch.setattr(services, "delivery_receive", fails_once)
    url = f"/api/webhooks/kommo/{integration.webhook_secret}/message"
    status, _, body = request("POST", url, [body_for(integration).encode()])
    assert (status, body, len(calls)) == (200, {"ok": True, "duplicate": False, "events": 1}, 2)
    assert deliveries(integration) == 1

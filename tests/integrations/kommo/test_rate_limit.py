"""Kommo takes at most 7 calls a second per account, whoever makes them: two worker processes calling
the same account share one window (in Redis), and no second holds more than 7 calls."""

import multiprocessing
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.kommo.client import KommoClient, StaticToken

CALLS_PER_PROCESS = 12


@pytest.fixture
def counting_server():
    arrivals: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            arrivals.append(time.monotonic())
            self.send_response(204)  # an empty list
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", arrivals
    server.shutdown()


def _calls(base_url: str, rate_key: str) -> None:
    client = KommoClient(base_url=base_url, tokens=StaticToken("t"), rate_key=rate_key)
    for _ in range(CALLS_PER_PROCESS):
        assert client.leads() == []  # 204 is an empty list


def most_in_any_second(arrivals: list[float]) -> int:
    arrivals = sorted(arrivals)
    return max(sum(1 for t in arrivals if start <= t < start + 1.0) for start in arrivals)


def test_two_processes_share_one_window_of_seven_a_second(counting_server):
    base_url, arrivals = counting_server
    rate_key = f"test-{time.monotonic_ns()}"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_calls, args=(base_url, rate_key)) for _ in range(2)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(arrivals) == 2 * CALLS_PER_PROCESS
    assert most_in_any_second(arrivals) <= 7
    # And the window is used, not wasted: 24 calls at 7 per 1.1 s take about 3.3–4.5 s.
    assert time.monotonic() - started < 6

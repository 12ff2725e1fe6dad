"""Real processes for the fault tests: a private Redis (restartable), a Celery worker and a web server
pointed at it (and at PostgreSQL, directly or through tests/faults/proxy.py), a client Celery app on
the private broker, and a webhook sink counting the replies the API channel delivers.

The machine's shared PostgreSQL and Redis are never stopped: the faults are injected into processes
these tests own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from celery import Celery

from agent_platform.web_process import web_command
from agent_platform.worker_process import ROOT, worker_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    """Poll `condition()` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


class RedisServer:
    """`redis-server` without persistence on a port of its own: stop and start it like an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # an abrupt end, as a crash or an OOM kill: nothing flushed
            self.process.wait()


def platform_env(*, database_url: str, redis: RedisServer, **extra: str) -> dict[str, str]:
    """The environment of a platform process: the test settings, this database, the private Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agent_platform.settings.test",
        "DATABASE_URL": database_url,
        "TEST_REDIS_URL": redis.url(0),
        "TEST_CELERY_BROKER_URL": redis.url(1),
        **extra,
    }


def database_url(db: dict, *, port: int | None = None) -> str:
    host = "127.0.0.1" if port else (db["HOST"] or "127.0.0.1")
    return f"postgresql://{db['USER']}:{db['PASSWORD']}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def broker_client(redis: RedisServer) -> Celery:
    """A Celery client on the private broker, routing as the platform does (tasks sent by name)."""
    from agent_platform.celery import app as platform_app

    client = Celery("faults", broker=redis.url(1), set_as_current=False)  # shared_task must keep the platform app
    client.conf.task_routes = platform_app.conf.task_routes
    client.conf.broker_connection_retry_on_startup = True
    return client


class Worker:
    """One `celery worker` process on the private broker (threads pool, like the suite's worker;
    `pool="prefork"` as production runs it)."""

    def __init__(
        self, env: dict[str, str], log: Path, client: Celery, concurrency: int = 4, pool: str = "threads"
    ) -> None:
        self.env, self.log, self.client, self.concurrency, self.pool = env, log, client, concurrency, pool
        self.process: subprocess.Popen | None = None

    def start(self, name: str = "faults") -> Worker:
        from agent_platform.celery import QUEUES

        command = worker_command(
            queues=QUEUES, pool=self.pool, concurrency=self.concurrency, name=f"{name}-{os.getpid()}@%h"
        )
        with self.log.open("a") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_until(lambda: self._ping(), 60, f"the worker to answer a ping ({self.log})", interval=0.2)
        return self

    def _ping(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the worker exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
        return bool(self.client.control.ping(timeout=0.5))

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no requeue by the worker itself."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class WebServer:
    """The platform's web server (uvicorn, one process unless `workers` says more) on a free port."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1) -> None:
        self.env, self.log, self.port, self.workers = env, log, free_port(), workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> WebServer:
        import requests

        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                web_command(host="127.0.0.1", port=self.port, workers=self.workers),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the web server exited: {self.log.read_text()[-2000:]}")
            try:
                return requests.get(f"{self.url}/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        wait_until(up, 30, "the web server", interval=0.2)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class WebhookSink:
    """The customer's webhook for API-channel replies: counts every delivery, per chat and per reply."""

    def __init__(self) -> None:
        self.deliveries: list[dict] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with sink._lock:
                    sink.deliveries.append(body)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/hook"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def per_chat(self) -> Counter:
        with self._lock:
            return Counter(d["conversation"]["external_chat_id"] for d in self.deliveries)

    def per_reply(self) -> Counter:
        with self._lock:
            return Counter(d["message"]["id"] for d in self.deliveries)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

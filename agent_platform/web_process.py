"""The web server: the ASGI application (HTTP and websockets) under uvicorn, with `workers` processes
sharing one socket (uvloop + httptools). `make run`, the container, the browser tests and the
benchmarks all build its command here:

    python -m agent_platform.web_process          # HOST, PORT, WEB_WORKERS from the environment

Why uvicorn and not Daphne: Daphne is one process (on two cores it served Kommo's webhooks at 97/s
against uvicorn's 169/s with two workers, bench/kommo_webhooks), and its HTTP layer (Twisted) answers
a malformed multipart body with an empty 400 before the application can give its problem response.
"""

from __future__ import annotations

import os
import sys

APPLICATION = "agent_platform.asgi:application"


def web_command(*, host: str, port: int | str, workers: int | str = 1, python: str = sys.executable) -> list[str]:
    """`python -m uvicorn …` serving the platform on host:port with `workers` processes."""
    command = [python, "-m", "uvicorn", APPLICATION, "--host", host, "--port", str(port)]
    command += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools", "--ws", "websockets"]
    # Django's ASGI handler has no lifespan protocol; the access log is our middleware's (agent_platform.access).
    command += ["--lifespan", "off", "--no-access-log", "--no-server-header"]
    return command


def main() -> None:
    command = web_command(
        host=os.environ.get("HOST", "0.0.0.0"),  # noqa: S104 (a container's server listens on every interface)
        port=os.environ.get("PORT", "8000"),
        workers=os.environ.get("WEB_WORKERS", "2"),
    )
    os.execv(command[0], command)  # noqa: S606 (our own command line; the server becomes this process)


if __name__ == "__main__":
    main()

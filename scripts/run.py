#!/usr/bin/env python
"""`make run`: the whole platform in one command, on a machine with nothing configured.

Without DATABASE_URL it starts an embedded PostgreSQL + pgvector, without REDIS_URL an embedded
Redis (both under .data/), without KOMMO_CLIENT_ID the local Kommo (integrations.kommo.fakes) and
without STRIPE_SECRET_KEY the local Stripe (billing.fakes) for the demo. Then it migrates, loads the
demo data, syncs the plans to Stripe, and runs the web server (ASGI: HTTP + websockets), a Celery
worker and Celery beat until Ctrl-C, which stops all of them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
sys.path.insert(0, str(ROOT))

from agent_platform.celery import QUEUES  # noqa: E402
from agent_platform.embedded import EmbeddedServices  # noqa: E402
from agent_platform.web_process import web_command  # noqa: E402
from agent_platform.worker_process import worker_command  # noqa: E402

PYTHON = sys.executable
warnings.filterwarnings("ignore", module="platformdirs")  # pgserver: XDG_RUNTIME_DIR unset


def say(message: str) -> None:
    print(f"\033[1;36m[run]\033[0m {message}", flush=True)


def _die_with_parent() -> None:
    # Children get SIGTERM if this supervisor dies without cleaning up (Linux only).
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def build_environment(services: EmbeddedServices) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "agent_platform.settings.base")
    env.setdefault("LOG_FORMAT", "text")
    if not env.get("SECRET_KEY") and not env.get("SECRET_KEY_FILE"):
        # Stable across restarts: sessions, tokens and encrypted secrets depend on it.
        key_file = DATA / "secret_key"
        if not key_file.exists():
            DATA.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["SECRET_KEY_FILE"] = str(key_file)
    if not env.get("DATABASE_URL"):
        started = time.perf_counter()
        env.update(services.start_postgres())
        say(f"embedded PostgreSQL 16 + pgvector started in {time.perf_counter() - started:.1f} s (.data/pg)")
    if not env.get("REDIS_URL"):
        started = time.perf_counter()
        env.update(services.start_redis())
        say(f"embedded Redis started in {time.perf_counter() - started:.1f} s at {env['REDIS_URL']}")
    return env


def local_kommo(env: dict[str, str], url: str) -> tuple[list[str], str] | None:
    """The local Kommo (integrations.kommo.fakes) for the demo, unless a real Kommo integration is
    configured (KOMMO_CLIENT_ID) or KOMMO_LOCAL=0: its command, and the platform's env pointed at it."""
    if env.get("KOMMO_CLIENT_ID") or env.get("KOMMO_LOCAL", "1") == "0":
        return None
    port = env.get("KOMMO_LOCAL_PORT", "8765")
    secret_file = DATA / "kommo_client_secret"
    if not secret_file.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_urlsafe(32))
        secret_file.chmod(0o600)
    secret = secret_file.read_text().strip()
    channel_secret_file = DATA / "kommo_chats_secret"
    if not channel_secret_file.exists():
        channel_secret_file.write_text(secrets.token_urlsafe(32))
        channel_secret_file.chmod(0o600)
    env.update(
        {
            "KOMMO_CLIENT_ID": "local-kommo-demo",
            "KOMMO_CLIENT_SECRET": secret,
            # The platform's Chats API channel, registered with the local Kommo (the secret: env only).
            "KOMMO_CHATS_CHANNEL_ID": "local-kommo-site-channel",
            "KOMMO_CHATS_CHANNEL_SECRET": channel_secret_file.read_text().strip(),
            "KOMMO_CHATS_CHANNEL_CODE": "ai.agent.platform",
            "KOMMO_OAUTH_URL": f"http://127.0.0.1:{port}/oauth",
            "KOMMO_AMOJO_URL": f"http://127.0.0.1:{port}",
            "KOMMO_INSECURE_HOSTS": "127.0.0.1",
        }
    )
    env.setdefault("PUBLIC_URL", url)
    # The account on the next port, fixed: the connection stores its address.
    command = [PYTHON, "-m", "integrations.kommo.fakes", "--port", port, "--account-port", str(int(port) + 1)]
    command += ["--client-id", "local-kommo-demo"]
    command += ["--redirect-uri", f"{url}/api/integrations/kommo/callback"]  # the secret: $KOMMO_CLIENT_SECRET
    command += ["--revoke-hook-url", f"{url}/api/webhooks/kommo/revoked"]
    command += ["--salesbot-url", f"{url}/api/webhooks/kommo/salesbot"]
    command += ["--channel-id", "local-kommo-site-channel", "--channel-code", "ai.agent.platform"]
    command += ["--channel-webhook-url", f"{url}/api/webhooks/kommo/chats/:scope_id"]
    return command, f"http://127.0.0.1:{port}/"


def local_stripe(env: dict[str, str]) -> tuple[list[str], str] | None:
    """The local Stripe (billing.fakes) for the demo, unless a real Stripe key is configured
    (STRIPE_SECRET_KEY) or STRIPE_LOCAL=0: its command, and the platform's env pointed at it."""
    if env.get("STRIPE_SECRET_KEY") or env.get("STRIPE_LOCAL", "1") == "0":
        return None
    port = env.get("STRIPE_LOCAL_PORT", "8767")
    key_file = DATA / "local_stripe_key"
    if not key_file.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        key_file.write_text("sk_test_" + secrets.token_hex(16))  # dj-stripe checks a key's shape
        key_file.chmod(0o600)
    url = f"http://127.0.0.1:{port}"
    env.update({"STRIPE_SECRET_KEY": key_file.read_text().strip(), "STRIPE_API_BASE": url})
    # Its objects (products, customers, webhook endpoints…) outlive a restart, as the database does.
    return [PYTHON, "-m", "billing.fakes", "--port", port, "--state-file", str(DATA / "local_stripe.json")], url


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    say(f"starting {name}: {' '.join(command[2:] if command[0] == PYTHON else command)}")
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, preexec_fn=_die_with_parent)


def _all_checks_ok(body: bytes) -> bool:
    """/readyz also answers 200 "degraded" (Redis or the broker not up yet): wait for every check. The
    local Kommo's and Stripe's health answers carry no such status: their 200 is enough."""
    try:
        data = json.loads(body)
    except ValueError:
        return True
    return not isinstance(data, dict) or data.get("status", "ok") == "ok"


def wait_ready(url: str, processes: dict[str, subprocess.Popen], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
                if response.status == 200 and _all_checks_ok(response.read()):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in time; killing it")
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    began = time.perf_counter()
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    services = EmbeddedServices(data_dir=DATA)
    processes: dict[str, subprocess.Popen] = {}
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        # The web app (frontend/dist) is rebuilt only when its sources changed; without npm the API still runs.
        subprocess.run([PYTHON, "scripts/build_spa.py"], cwd=ROOT, check=False)
        env = build_environment(services)
        kommo = local_kommo(env, f"http://{host}:{port}")
        if kommo is not None:
            # The local Kommo's output (its demo account and Salesbot id) goes to the terminal.
            processes["kommo"] = start("the local Kommo", kommo[0], env)
        stripe = local_stripe(env)
        if stripe is not None:  # the key comes from the environment, never the command line
            processes["stripe"] = start("the local Stripe", stripe[0], env)
        say("applying migrations")
        manage(env, "migrate", "--noinput", "-v", "0")
        demo_login = subprocess.run(
            [PYTHON, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        if stripe is not None:
            # The plans as its products and prices, and this platform's webhook endpoint (idempotent).
            wait_ready(stripe[1], {"stripe": processes["stripe"]}, timeout=20)
            manage(env, "billing_stripe_setup", "--webhook-url", f"http://{host}:{port}")
        processes["web"] = start(
            "web", web_command(host=host, port=port, workers=os.environ.get("WEB_WORKERS", "2"), python=PYTHON), env
        )
        # Started like the web server and beat (its own session, dies with this supervisor); not
        # waited for with a ping: this process's Celery app does not know the embedded broker.
        processes["worker"] = start(
            "worker",
            worker_command(
                queues=QUEUES,
                concurrency=os.environ.get("WORKER_CONCURRENCY", "2"),
                loglevel="INFO",
                name="worker@%h",
                mingle=True,
                python=PYTHON,
            ),
            env,
        )
        processes["beat"] = start(
            "beat",
            [PYTHON, "-m", "celery", "-A", "agent_platform", "beat", "--loglevel", "INFO", "--pidfile="],
            env,
        )
        url = f"http://{host}:{port}"
        if not wait_ready(f"{url}/readyz", processes):
            say("the platform did not become ready; see the output above")
            return 1
        say(f"ready in {time.perf_counter() - began:.1f} s → {url}/  (API docs {url}/api/docs/, admin {url}/admin/)")
        say(demo_login)
        if kommo is not None:
            say(
                f"Local Kommo: {kommo[1]} — connect it on the Integrations page, enter the Salesbot id it "
                "printed, then write as a WhatsApp customer on its page"
            )
        if stripe is not None:
            say(f"Local Stripe: {stripe[1]}/ — subscribe on the Billing page, pay on its checkout page")
        say("press Ctrl-C to stop everything")
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    say(f"{name} exited with {process.returncode}; stopping the rest")
                    return 1
            time.sleep(0.5)
        return 0
    except subprocess.CalledProcessError as exc:
        say(f"failed: {' '.join(map(str, exc.cmd[1:]))} exited with {exc.returncode}")
        return 1
    finally:
        say("stopping")
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop(processes)
        services.stop()
        say("stopped")


if __name__ == "__main__":
    sys.exit(main())

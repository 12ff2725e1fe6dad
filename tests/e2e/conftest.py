"""End-to-end fixtures: the platform served by Daphne (HTTP + websockets, the built SPA through
whitenoise) on a free port with the test database, and Debian's Chromium driven by Playwright.

Skipped when /usr/bin/chromium, Playwright or frontend/dist is missing; with E2E_REQUIRED=1 (CI)
that is a failure instead. Every page fails its test on a browser console error or page error.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from agent_platform.web_process import web_command
from billing.fakes import FakeStripe

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _unavailable(reason: str):
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"e2e required but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def email_dir(tmp_path_factory) -> Path:
    """Where the e2e server writes its outgoing mail (one file per message)."""
    return tmp_path_factory.mktemp("mail")


def read_mail(email_dir: Path, to: str, timeout: float = 10.0) -> str:
    """The newest message the server sent to `to` (waits for it)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [p.read_text() for p in sorted(email_dir.iterdir(), key=lambda p: p.stat().st_mtime)]
        found = [text for text in found if f"To: {to}" in text]
        if found:
            return found[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail to {to} in {email_dir}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def e2e_stripe():
    """The local Stripe of the browser tests' server (STRIPE_API_BASE), posting its webhooks itself."""
    fake = FakeStripe(api_key=settings.STRIPE_SECRET_KEY, auto_deliver=True).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def spa_server(django_db_setup, tmp_path_factory, email_dir, platform_url, kommo_hub_port, e2e_stripe) -> str:
    """The base URL of a Daphne process serving the whole platform against the test database."""
    if not (Path(settings.FRONTEND_DIST) / "index.html").is_file():
        _unavailable("frontend/dist is not built (make spa)")
    db = settings.DATABASES["default"]
    port = int(platform_url.rsplit(":", 1)[1])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agent_platform.settings.test",
        "TEST_EMAIL_FILE_PATH": str(email_dir),
        "PUBLIC_URL": platform_url,
        "KOMMO_REDIRECT_URI": f"{platform_url}/api/integrations/kommo/callback",
        "KOMMO_OAUTH_URL": f"http://127.0.0.1:{kommo_hub_port}/oauth",
        "KOMMO_AMOJO_URL": f"http://127.0.0.1:{kommo_hub_port}",
        "STRIPE_API_BASE": e2e_stripe.url,
        "DATABASE_URL": (
            f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    log_path = tmp_path_factory.mktemp("web") / "web.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        web_command(host="127.0.0.1", port=port),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"the web server did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()


@pytest.fixture(scope="module")
def browser(spa_server):
    """Module-scoped on purpose: Playwright's sync API runs an event loop in this thread, which must be
    gone before other modules' async tests (channels' communicators) run."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    # With that loop in the thread Django would refuse the tests' own (synchronous) ORM calls and
    # the database flush after each test; allowed only while the browser runs, and never inherited
    # by subprocesses started later (`check --deploy` rejects the variable).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _fulfill_with(body):
    return lambda route, request: route.fulfill(json=body, status=200)


def endpoint_exists(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "spa"


class ConsoleWatch:
    """Collects console errors and uncaught page errors of every page of a context."""

    def __init__(self):
        self.errors: list[str] = []
        self.expected: list[str] = []

    def attach(self, page):
        page.on("console", lambda msg: msg.type == "error" and self._record(f"console: {msg.text} @ {page.url}"))
        page.on("pageerror", lambda exc: self._record(f"pageerror: {exc} @ {page.url}"))
        return page

    def _record(self, message: str) -> None:
        if any(fragment in message for fragment in self.expected):
            return
        self.errors.append(message)

    @contextmanager
    def expecting(self, fragment: str):
        """Inside the block, errors containing `fragment` are expected (Chromium logs every 4xx
        response, e.g. the 401 of a deliberately wrong password); anything else still fails."""
        self.expected.append(fragment)
        try:
            yield
        finally:
            self.expected.remove(fragment)


@pytest.fixture
def open_context(browser, spa_server):
    """`open_context(viewport="desktop", color_scheme="light", stubs=None)` → (context, page, watch).
    The test fails at teardown if any page logged a console error."""
    contexts = []
    watch = ConsoleWatch()

    def factory(viewport: str = "desktop", color_scheme: str = "light", stubs: dict | None = None):
        context = browser.new_context(
            base_url=spa_server, viewport=VIEWPORTS[viewport], color_scheme=color_scheme, locale="en-US"
        )
        context.set_default_timeout(10_000)
        for path, body in (stubs or {}).items():
            context.route(f"**{path}", _fulfill_with(body))
        context.on("page", watch.attach)
        contexts.append(context)
        return context, watch.attach(context.new_page()), watch

    yield factory
    for context in contexts:
        context.close()
    assert watch.errors == [], "browser console errors:\n" + "\n".join(watch.errors)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # The app shell scrolls inside <main>, which a full-page screenshot does not see: grow the
    # viewport to the content's height for the shot (capped), then put it back.
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('main'); return m ? m.scrollHeight - m.clientHeight : 0 }"
    )
    if size and height > 0:
        page.set_viewport_size({"width": size["width"], "height": min(size["height"] + height, 4000)})
    page.screenshot(path=str(path), full_page=True)
    if size and height > 0:
        page.set_viewport_size(size)
    return path


def log_in(page, email: str, password: str = "correct horse battery") -> None:
    """Log in through the SPA's form (the users of tests.accounts.factories.UserFactory have this password)."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("current-workspace").wait_for()

"""Shared fixtures: a workspace with an owner, an admin and a member; a stranger; another workspace.

Every API test module proves that the stranger and the other workspace's members get 404.
"""

from __future__ import annotations

from contextlib import contextmanager
from importlib import import_module

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User, Workspace
from agent_platform.tenancy import Role
from tests.accounts.factories import MembershipFactory, UserFactory, WorkspaceFactory


def access_token_for(user: User) -> str:
    return str(RefreshToken.for_user(user).access_token)


def client_for(user: User | None, workspace: Workspace | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}")
    if workspace is not None:
        client.defaults["HTTP_X_WORKSPACE"] = str(workspace.pk)
    return client


@pytest.fixture(scope="session")
def django_db_keepdb(request) -> bool:
    """Keep the test database between runs (`--reuse-db`), but not one that holds a migration this
    checkout does not have: a database migrated by another branch or an uncommitted change keeps
    that migration's tables and columns, which `migrate` never removes, and inserts fail on them.
    Such a database is dropped first, then built from zero and kept."""
    keep = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
    if keep:
        with _test_database_server() as (server, name):
            if _test_database_migrations(name) - _checkout_migrations():
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return keep


@contextmanager
def _test_database_server():
    """An autocommit connection to the test database's server (its maintenance database), and the
    test database's name."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    params = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    for unused in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(unused, None)
    with psycopg.connect(**params, connect_timeout=5) as server:
        yield server, db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"


def _test_database_migrations(name: str) -> set[tuple[str, str]]:
    import psycopg
    from django.db import connection

    params = {**connection.get_connection_params(), "dbname": name}
    for unused in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(unused, None)
    try:
        with psycopg.connect(**params, connect_timeout=5) as conn:
            return set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return set()  # no test database yet, or an empty one


def _checkout_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


@pytest.fixture(autouse=True)
def _clean_redis_test_db(settings):
    """Each test starts with an empty Redis test database (cache, throttles, channel groups)."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def _ai_model_registry(request):
    """The AI model registry is seeded by a data migration; a transactional test's flush empties
    it, so every database test makes sure it is there (one cheap query when it is)."""
    marker = request.node.get_closest_marker("django_db")
    if not marker and not set(request.fixturenames) & _DB_FIXTURES:
        return
    transactional = (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_ai_model_registry()
    ensure_plans()


def ensure_plans() -> None:
    """The billing plans are seeded by a data migration too (a flush empties them): re-run it when missing."""
    from django.apps import apps

    seed = import_module("billing.migrations.0003_quotas_plans")
    if apps.get_model("billing", "Plan").objects.filter(code__in=[p[0] for p in seed.PLANS]).count() < len(seed.PLANS):
        seed.plans_create(apps, None)


REGISTRY_SEEDS = ("integrations.migrations.0002_seed_ai_models", "integrations.migrations.0004_seed_embedding_models")


def ensure_ai_model_registry() -> None:
    """Re-run the registry's seed migrations when rows are missing (idempotent upserts)."""
    from django.apps import apps

    seeds = [import_module(name) for name in REGISTRY_SEEDS]
    if apps.get_model("integrations", "AIModel").objects.count() < sum(len(seed.MODELS) for seed in seeds):
        for seed in seeds:
            seed.seed(apps, None)
        import_module("integrations.migrations.0007_ai_model_kind").mark_embedding_models(apps, None)


@pytest.fixture
def owner(db) -> User:
    return UserFactory(prefix="owner")


@pytest.fixture
def workspace(owner) -> Workspace:
    return WorkspaceFactory(name="Acme", owner=owner)


@pytest.fixture
def admin(workspace) -> User:
    return MembershipFactory(workspace=workspace, user__prefix="admin", role=Role.ADMIN).user


@pytest.fixture
def member(workspace) -> User:
    return MembershipFactory(workspace=workspace, user__prefix="member", role=Role.MEMBER).user


@pytest.fixture
def other_workspace(db) -> Workspace:
    return WorkspaceFactory(name="Globex", owner__prefix="other-owner")


@pytest.fixture
def stranger(other_workspace) -> User:
    """A user of another workspace, with no membership in `workspace`."""
    return other_workspace.memberships.get().user


@pytest.fixture
def owner_client(owner, workspace) -> APIClient:
    return client_for(owner)


@pytest.fixture
def member_client(member) -> APIClient:
    return client_for(member)


@pytest.fixture
def stranger_client(stranger) -> APIClient:
    return client_for(stranger)


@pytest.fixture(scope="session")
def _session_ports() -> tuple[int, int]:
    """Two distinct free ports, held open together while chosen (one at a time, the OS may hand out
    the same port twice)."""
    import socket

    sockets = [socket.socket() for _ in range(2)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="session")
def platform_url(_session_ports) -> str:
    """The address the browser tests' server listens on, chosen once per session: the worker is told
    it too (PUBLIC_URL), since it registers Kommo's webhooks at that address."""
    return f"http://127.0.0.1:{_session_ports[0]}"


@pytest.fixture(scope="session", autouse=True)
def _one_platform_address(platform_url, _session_ports) -> None:
    """Every process of a session — this one, the worker, the browser tests' server — has the same
    platform address, as a deployment's processes do: a token refresh names the OAuth redirect URI,
    and Kommo refuses one that differs from the code's. Kommo's Chats API is the local Kommo on the
    session's hub port (a test that uses it from the worker starts its local Kommo there)."""
    from django.conf import settings

    settings.PUBLIC_URL = platform_url
    settings.KOMMO_REDIRECT_URI = f"{platform_url}/api/integrations/kommo/callback"
    settings.KOMMO_AMOJO_URL = f"http://127.0.0.1:{_session_ports[1]}"


@pytest.fixture(scope="session")
def kommo_hub_port(_session_ports) -> int:
    """The local Kommo's hub port of the browser tests: the server is told its consent page
    (KOMMO_OAUTH_URL) at start, and each test starts a fresh local Kommo there."""
    return _session_ports[1]


@pytest.fixture(autouse=True)
def _worker_consumes_only_in_its_tests(request):
    """The session's worker takes tasks only while a test that asked for it runs. Other tests queue
    tasks too (an article's indexing, a message's processing) and run them themselves: a worker left
    consuming would race them for the work and still hold rows when the database is flushed
    (TRUNCATE deadlocks with it). So a worker test starts from an empty queue, the worker stops
    consuming when it ends, and the test ends only once the worker is idle. Depending on
    `transactional_db` here puts this teardown before the flush."""
    if "celery_worker_process" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    worker = request.getfixturevalue("celery_worker_process")
    from agent_platform.celery import QUEUES, app

    app.control.purge()  # what earlier tests queued for no worker
    destination = [worker.celery_name]
    for queue in QUEUES:
        app.control.add_consumer(queue, destination=destination, reply=True, timeout=5)
    yield
    for queue in QUEUES:
        app.control.cancel_consumer(queue, destination=destination, reply=True, timeout=5)
    app.control.purge()  # what the test queued and no longer waits for
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        inspect = app.control.inspect(destination=destination, timeout=1, limit=1)
        busy = [*((inspect.active() or {}).values()), *((inspect.reserved() or {}).values())]
        if busy and not any(busy):
            return
        time.sleep(0.2)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory, platform_url):
    """A real Celery worker process consuming every queue through this machine's Redis, with the
    test database. Tests using it need `transactional_db` so the worker sees their rows."""
    import os
    import socket
    import subprocess

    from django.conf import settings

    from agent_platform.celery import QUEUES, app
    from agent_platform.worker_process import worker_command, worker_start

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agent_platform.settings.test",
        "DATABASE_URL": (
            f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "PUBLIC_URL": platform_url,
        "KOMMO_REDIRECT_URI": f"{platform_url}/api/integrations/kommo/callback",
        "KOMMO_AMOJO_URL": settings.KOMMO_AMOJO_URL,
    }
    app.control.purge()
    name = f"test-{os.getpid()}@{socket.gethostname()}"
    worker = worker_start(
        worker_command(queues=QUEUES, pool="threads", concurrency=4, loglevel="INFO", name=name),
        env=env,
        log=tmp_path_factory.mktemp("celery") / "worker.log",
    )
    worker.celery_name = name  # control commands address this worker only
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()

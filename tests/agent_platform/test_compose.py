"""docker-compose.yml without a Docker engine: it parses, every command its app services run exists
in this checkout (Celery app and queues, Python modules, manage.py commands), and the worker services
consume every Celery queue exactly once, each with its own concurrency."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from agent_platform.celery import QUEUES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = {name: service for name, service in COMPOSE["services"].items() if service.get("build") == "."}
WORKERS = {name: service for name, service in APP_SERVICES.items() if service["command"][3:4] == ["worker"]}


def _interpolated(word: str) -> str:
    """Compose's `${NAME:-default}` with the default (no .env here)."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda match: match.group(2), word)


def _option(command: list[str], flag: str) -> str:
    return _interpolated(command[command.index(flag) + 1])


def test_the_app_services_share_the_image_and_its_environment():
    assert {"migrate", "web", "beat"} <= set(APP_SERVICES) and len(WORKERS) >= 4
    for name, service in APP_SERVICES.items():
        assert service["image"] == "agent-platform:latest", name
        assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= set(service["environment"]), name


def test_every_queue_is_consumed_by_exactly_one_worker_group_with_its_own_concurrency():
    consumed: list[str] = []
    for name, service in WORKERS.items():
        command = service["command"]
        assert command[:3] == ["celery", "-A", "agent_platform"], name
        consumed += _option(command, "-Q").split(",")
        assert int(_option(command, "--concurrency")) >= 1, name
        assert "${WORKER_" in command[command.index("--concurrency") + 1], f"{name}: concurrency is not configurable"
        assert _option(command, "-n").endswith("@%h"), name  # distinct node names when scaled
    assert sorted(consumed) == sorted(QUEUES)


def test_the_messages_queue_has_a_worker_of_its_own():
    owners = [name for name, service in WORKERS.items() if "messages" in _option(service["command"], "-Q").split(",")]
    assert len(owners) == 1
    assert _option(WORKERS[owners[0]]["command"], "-Q") == "messages"


def _python_commands(service: dict) -> list[list[str]]:
    command = service["command"]
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_the_commands_exist(name):
    known_commands = get_commands()
    for command in _python_commands(APP_SERVICES[name]):
        if command[0] == "celery":
            assert command[3] in {"worker", "beat"}
        elif command[:2] == ["python", "-m"]:
            assert importlib.util.find_spec(command[2]) is not None, command
        elif command[:2] == ["python", "manage.py"]:
            assert command[2] in known_commands, command
        else:
            pytest.fail(f"{name}: unknown command {command}")


def test_the_dockerfile_default_command_exists():
    cmd = re.search(r'^CMD \["python", "-m", "([\w.]+)"\]', (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert cmd and importlib.util.find_spec(cmd.group(1)) is not None


def test_the_healthchecks_are_valid_python():
    for name, service in APP_SERVICES.items():
        if test := service.get("healthcheck", {}).get("test"):
            assert test[:3] == ["CMD", "python", "-c"], name
            compile(test[3], f"{name}-healthcheck", "exec")


def test_the_broker_redis_persists_its_queues():
    command = COMPOSE["services"]["redis"]["command"]
    assert _option(command, "--appendonly") == "yes"
    assert _option(command, "--maxmemory-policy") == "noeviction"


def test_the_ci_workflow_runs_ci_run_and_starts_the_compose_stack():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    runs = {job: [step.get("run", "") for step in spec["steps"]] for job, spec in workflow["jobs"].items()}
    assert ".ci/run" in runs["test"]
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111  # executable, as the step calls it
    assert "docker compose up -d" in runs["compose"]
    workers = " ".join(name for name in WORKERS)
    assert all(name in "\n".join(runs["compose"]) for name in workers.split())

"""Two workspaces with the full demo data: A is the demo login's (seed_demo), B a second owner's with
the same data made by every app's `demo.seed` — the fuzzing and tenant-matrix tests' world."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management import call_command

from accounts.demo import DEMO_EMAIL
from accounts.models import User, Workspace
from agent_platform.tenancy import workspace_scope
from tests.accounts.factories import UserFactory, WorkspaceFactory


@dataclass
class DemoWorkspace:
    workspace: Workspace
    owner: User


def demo_workspaces() -> tuple[DemoWorkspace, DemoWorkspace]:
    call_command("seed_demo")
    owner_a = User.objects.get(email=DEMO_EMAIL)
    a = DemoWorkspace(workspace=owner_a.memberships.get().workspace, owner=owner_a)
    owner_b = UserFactory(email="owner-b@example.com", verified=True)
    b = DemoWorkspace(workspace=WorkspaceFactory(name="Workspace B", owner=owner_b), owner=owner_b)
    with workspace_scope(b.workspace.pk):
        for config in apps.get_app_configs():
            module = f"{config.name}.demo"
            if config.name == "accounts" or find_spec(config.name) is None or find_spec(module) is None:
                continue
            import_module(module).seed(workspace=b.workspace, user=owner_b)
    return a, b

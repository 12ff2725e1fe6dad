"""Create demo data for a new install (idempotent): every app's `demo.seed()` in INSTALLED_APPS order."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from agent_platform.tenancy import workspace_scope


class Command(BaseCommand):
    help = "Create the demo workspace, the demo login and each app's demo data (safe to re-run)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            demo = import_module("accounts.demo").seed()
            workspace, user = demo["workspace"], demo["user"]
            with workspace_scope(workspace.pk):
                for config in apps.get_app_configs():
                    module = f"{config.name}.demo"
                    if config.name == "accounts" or find_spec(config.name) is None or find_spec(module) is None:
                        continue
                    import_module(module).seed(workspace=workspace, user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: {user.email} / {demo['password']}  (workspace {workspace.name!r}, id {workspace.pk})"
            )
        )

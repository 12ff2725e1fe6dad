"""Our migrations are committed, linear and reversible."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

OUR_APPS = [
    "agent_platform",
    "accounts",
    "agents",
    "automations",
    "knowledge",
    "conversations",
    "billing",
    "integrations",
]

pytestmark = pytest.mark.django_db


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", *OUR_APPS, "--check", "--dry-run", verbosity=0)


def test_each_app_has_a_linear_history():
    graph = MigrationLoader(connection).graph
    for app in OUR_APPS:
        leaves = graph.leaf_nodes(app)
        assert len(leaves) <= 1, f"{app} has several migration leaves: {leaves}"


def test_every_operation_can_be_reversed():
    loader = MigrationLoader(connection)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in OUR_APPS
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []


def test_every_app_is_installed():
    installed = {config.name for config in apps.get_app_configs()}
    assert set(OUR_APPS) <= installed

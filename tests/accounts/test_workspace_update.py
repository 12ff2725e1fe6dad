"""Admins rename the workspace and set its time zone (validated against zoneinfo, audit-logged)."""

import pytest

from accounts.models import AuditLog
from agent_platform.tenancy import workspace_scope
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def url(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}"


@pytest.mark.parametrize(("who", "expected"), [("owner", 200), ("admin", 200), ("member", 403), ("stranger", 404)])
def test_who_may_change_the_workspace(request, workspace, who, expected):
    client = client_for(request.getfixturevalue(who))
    response = client.patch(url(workspace), {"time_zone": "Europe/Madrid"}, format="json")
    assert response.status_code == expected
    workspace.refresh_from_db()
    assert workspace.time_zone == ("Europe/Madrid" if expected == 200 else "UTC")


def test_rename_and_move_answer_the_workspace_and_are_audited(admin, workspace):
    changes = {"name": "Acme Spain", "time_zone": "Europe/Madrid"}
    response = client_for(admin).patch(url(workspace), changes, format="json")
    assert response.json() == {
        "id": workspace.pk,
        "name": "Acme Spain",
        "slug": workspace.slug,
        "time_zone": "Europe/Madrid",
        "role": "admin",
    }
    with workspace_scope(workspace.pk):
        entry = AuditLog.objects.get(action="workspace.updated")
    assert entry.actor == admin
    assert entry.changes == {"name": ["Acme", "Acme Spain"], "time_zone": ["UTC", "Europe/Madrid"]}


def test_an_unknown_time_zone_or_an_empty_name_is_refused(owner, workspace):
    client = client_for(owner)
    bad_zone = client.patch(url(workspace), {"time_zone": "Mars/Olympus"}, format="json")
    assert bad_zone.status_code == 400 and "time_zone" in bad_zone.json()["errors"]
    empty = client.patch(url(workspace), {"name": ""}, format="json")
    assert empty.status_code == 400 and "name" in empty.json()["errors"]
    workspace.refresh_from_db()
    assert (workspace.name, workspace.time_zone) == ("Acme", "UTC")


def test_another_workspace_is_404_even_for_its_neighbours_owner(owner, workspace, other_workspace):
    response = client_for(owner).patch(url(other_workspace), {"name": "Taken over"}, format="json")
    assert response.status_code == 404
    other_workspace.refresh_from_db()
    assert other_workspace.name == "Globex"

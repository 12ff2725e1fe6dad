"""Two people editing one agent: a save that would overwrite what the other saved meanwhile is
refused with what clashed; changes to different fields merge."""

from __future__ import annotations

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AGENTS = "/api/agents"


@pytest.fixture
def agent(owner_client) -> dict:
    response = owner_client.post(AGENTS, {"name": "Sales bot", "instructions": "Be kind."}, format="json")
    assert response.status_code == 201
    return response.json()


def test_a_save_that_would_overwrite_a_newer_change_is_refused(owner_client, admin, agent):
    started = agent["version"]
    theirs = client_for(admin).patch(f"{AGENTS}/{agent['id']}", {"instructions": "Be brief."}, format="json")
    assert theirs.status_code == 200 and theirs.json()["version"] == started + 1

    mine = owner_client.patch(
        f"{AGENTS}/{agent['id']}", {"instructions": "Be warm.", "base_version": started}, format="json"
    )

    assert mine.status_code == 409
    problem = mine.json()
    assert problem["code"] == "agent_edit_conflict"
    assert (problem["fields"], problem["version"], problem["saved_by"]) == (["instructions"], started + 1, admin.email)
    assert owner_client.get(f"{AGENTS}/{agent['id']}").json()["instructions"] == "Be brief."


def test_changes_to_other_fields_and_tables_merge(owner_client, admin, agent):
    started = agent["version"]
    client_for(admin).patch(f"{AGENTS}/{agent['id']}", {"channels": ["api"]}, format="json")

    mine = owner_client.patch(
        f"{AGENTS}/{agent['id']}", {"instructions": "Be warm.", "base_version": started}, format="json"
    )

    assert mine.status_code == 200, mine.json()
    assert (mine.json()["instructions"], mine.json()["channels"]) == ("Be warm.", ["api"])


def test_a_table_changed_by_both_clashes(owner_client, admin, agent):
    started = agent["version"]
    client_for(admin).patch(f"{AGENTS}/{agent['id']}", {"channels": ["api"]}, format="json")
    mine = owner_client.patch(
        f"{AGENTS}/{agent['id']}", {"channels": ["whatsapp"], "base_version": started}, format="json"
    )
    assert mine.status_code == 409 and mine.json()["fields"] == ["channels"]


def test_saving_again_from_the_newer_version_overwrites_on_purpose(owner_client, admin, agent):
    client_for(admin).patch(f"{AGENTS}/{agent['id']}", {"instructions": "Be brief."}, format="json")
    latest = owner_client.get(f"{AGENTS}/{agent['id']}").json()["version"]
    mine = owner_client.patch(
        f"{AGENTS}/{agent['id']}", {"instructions": "Be warm.", "base_version": latest}, format="json"
    )
    assert mine.status_code == 200 and mine.json()["instructions"] == "Be warm."


def test_without_a_base_version_the_last_save_wins_as_before(owner_client, admin, agent):
    client_for(admin).patch(f"{AGENTS}/{agent['id']}", {"instructions": "Be brief."}, format="json")
    mine = owner_client.patch(f"{AGENTS}/{agent['id']}", {"instructions": "Be warm."}, format="json")
    assert mine.status_code == 200 and mine.json()["instructions"] == "Be warm."

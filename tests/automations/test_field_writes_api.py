"""The field-writes API: a conversation's writes with readable values, undo through Kommo, Kommo's
refusals as problems, who may act (members may undo, see automations.api.views), outsiders get 404."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import FieldWrite
from tests.automations.rules_setup import rules_setup, unix
from tests.conftest import client_for
from tests.integrations.kommo.conftest import account, connected, kommo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(kommo, account, connected, workspace, owner):  # noqa: F811 (fixtures)
    setup = rules_setup(kommo, account, connected, workspace, owner)
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date")
    return setup


def conversation_id(setup) -> int:
    with workspace_scope(setup.workspace.pk):
        return FieldWrite.objects.values_list("conversation_id", flat=True).first()


def test_members_see_the_writes_readably_newest_first(setup, member_client):
    reply = setup.customer_says("I found you on Instagram. Call me back on 15.01.2027")
    response = member_client.get(f"/api/conversations/{conversation_id(setup)}/field-writes")
    assert response.status_code == 200
    body = response.json()
    assert [w["field_name"] for w in body] == ["Follow-up date", "Source"]
    date, source = body
    assert (source["old_text"], source["new_text"], source["status"]) == ("", "Instagram", "written")
    assert (date["new_text"], date["new_value"]) == ("2027-01-15", [{"value": unix("2027-01-15")}])
    assert source["rule_name"] == "Source" and source["entity"] == "lead" and source["message"] == reply.pk
    assert "Instagram" in source["quote"] and source["confidence"] > 0.5 and source["can_undo"] is True


def test_a_member_undoes_a_write_and_kommo_has_the_old_value(setup, member, member_client):
    website = next(e["id"] for e in setup.fields["Source"].enums if e["value"] == "Website")
    setup.set_lead_field("Source", [{"enum_id": website}])
    setup.customer_says("I found you on Instagram")
    write = member_client.get(f"/api/conversations/{conversation_id(setup)}/field-writes").json()[0]
    assert (write["old_text"], write["new_text"]) == ("Website", "Instagram")

    response = member_client.post(f"/api/field-writes/{write['id']}/undo")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "undone" and response.json()["undone_by"] in (member.name, member.email)
    assert response.json()["can_undo"] is False and response.json()["undone_at"]
    assert setup.lead_values("Source")[0]["enum_id"] == website
    again = member_client.post(f"/api/field-writes/{write['id']}/undo")
    assert again.status_code == 409 and again.json()["code"] == "field_write_not_undoable"


def test_only_the_latest_write_of_a_field_can_be_undone(setup, owner_client):
    setup.customer_says("I saw your website")
    setup.customer_says("No wait, it was Instagram")
    url = f"/api/conversations/{conversation_id(setup)}/field-writes"
    latest, earlier = owner_client.get(url).json()
    assert (latest["new_text"], latest["can_undo"]) == ("Instagram", True)
    assert (earlier["new_text"], earlier["can_undo"]) == ("Website", False)
    assert owner_client.post(f"/api/field-writes/{earlier['id']}/undo").json()["code"] == "field_changed_since_write"
    assert owner_client.post(f"/api/field-writes/{latest['id']}/undo").status_code == 200
    assert [w["can_undo"] for w in owner_client.get(url).json()] == [False, True]  # Website is the latest again


def test_undo_after_a_change_in_kommo_is_a_conflict(setup, owner_client):
    setup.customer_says("Call me back on 2027-01-15")
    write = owner_client.get(f"/api/conversations/{conversation_id(setup)}/field-writes").json()[0]
    setup.set_lead_field("Follow-up date", [{"value": unix("2027-03-01")}])
    response = owner_client.post(f"/api/field-writes/{write['id']}/undo")
    assert response.status_code == 409 and response.json()["code"] == "field_changed_since_write"
    assert setup.lead_values("Follow-up date")[0]["value"] == unix("2027-03-01")


def test_kommo_refusing_the_undo_is_a_502_with_its_reason(setup, owner_client):
    setup.customer_says("Call me back on 2027-01-15")
    write = owner_client.get(f"/api/conversations/{conversation_id(setup)}/field-writes").json()[0]
    setup.kommo.fail("403", times=None, path_prefix="/api/v4/leads")
    response = owner_client.post(f"/api/field-writes/{write['id']}/undo")
    assert response.status_code == 502 and response.json()["code"] == "crm_write_failed"
    assert "403" in response.json()["detail"] or "refused" in response.json()["detail"].lower()
    with workspace_scope(setup.workspace.pk):
        assert FieldWrite.objects.get(pk=write["id"]).status == "written"


def test_a_kommo_validation_error_shows_as_a_failed_write(setup, owner_client):
    with setup.kommo.lock:  # the field was deleted in Kommo after our sync
        del setup.account.custom_fields["leads"][setup.fields["Source"].kommo_id]
    setup.customer_says("I found you on Instagram. Call me back on 2027-01-15")
    body = owner_client.get(f"/api/conversations/{conversation_id(setup)}/field-writes").json()
    assert {w["status"] for w in body} == {"failed"}
    assert all("not a valid choice" in w["error"] for w in body) and not any(w["can_undo"] for w in body)
    assert setup.lead_values("Follow-up date") is None


def test_outsiders_get_404(setup, stranger_client):
    setup.customer_says("I found you on Instagram")
    with workspace_scope(setup.workspace.pk):
        write = FieldWrite.objects.get()
    assert stranger_client.get(f"/api/conversations/{write.conversation_id}/field-writes").status_code == 404
    assert stranger_client.post(f"/api/field-writes/{write.pk}/undo").status_code == 404
    assert setup.lead_values("Source") is not None


def test_anonymous_is_refused(setup):
    setup.customer_says("I found you on Instagram")
    with workspace_scope(setup.workspace.pk):
        write = FieldWrite.objects.get()
    assert client_for(None).post(f"/api/field-writes/{write.pk}/undo").status_code == 401

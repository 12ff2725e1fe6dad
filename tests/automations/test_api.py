"""The triggers API (helpers/TRIGGERS_API.md): CRUD with nested ordered actions, field-level 400
problems keyed by JSON path, logs, the dry-run test that executes nothing, the vocabulary; members
read, admins write, another workspace's user gets 404 on every route."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import TriggerAction, TriggerLog
from conversations.models import Message
from tests.conversations.factories import ConversationFactory

pytestmark = pytest.mark.django_db

TRIGGERS = "/api/triggers"
VALID = {
    "name": "Discount asked",
    "condition": {"all": [{"fact": "message.text", "op": "contains", "value": "discount"}]},
    "stop_ai_reply": True,
    "run_limit": 1,
    "actions": [
        {"kind": "send_message", "params": {"text": "Hi {customer_name}!"}},
        {"kind": "notify", "params": {"title": "Discount asked", "roles": ["admin", "owner"]}},
        {"kind": "pause_agent", "params": {"minutes": 30}},
    ],
}


@pytest.fixture
def trigger(owner_client) -> dict:
    response = owner_client.post(TRIGGERS, VALID, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_read_update_and_delete_with_ordered_actions(owner_client, trigger, workspace):
    assert trigger["actions"] == VALID["actions"] and trigger["agent"] is None
    assert trigger["uses_ai"] is False and trigger["silence_minutes"] is None
    assert trigger["fired_total"] == 0 and trigger["last_fired_at"] is None
    url = f"{TRIGGERS}/{trigger['id']}"

    silence = {"any": [{"fact": "customer.silent_minutes", "op": "gt", "value": 59}, {"ai": "the customer is angry"}]}
    changed = owner_client.patch(url, {"condition": silence, "actions": [VALID["actions"][2]]}, format="json")
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["actions"] == [VALID["actions"][2]] and body["name"] == VALID["name"]
    assert body["uses_ai"] is True and body["silence_minutes"] == 60
    with workspace_scope(workspace.pk):
        assert TriggerAction.objects.filter(trigger_id=trigger["id"]).count() == 1

    renamed = owner_client.patch(url, {"name": "Renamed"}, format="json").json()
    assert renamed["actions"] == [VALID["actions"][2]]  # actions not given: kept
    listed = owner_client.get(TRIGGERS).json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "Renamed"
    assert owner_client.delete(url).status_code == 204
    assert owner_client.get(url).status_code == 404


def test_validation_errors_are_field_level_problems_with_a_code(owner_client, trigger):
    bad = {
        "name": "Broken",
        "condition": {"all": [{"fact": "message.text", "op": "gt", "value": 1}, {"ai": ""}]},
        "actions": [
            {"kind": "send_message", "params": {"text": "Hi {first_name}"}},
            {"kind": "explode", "params": {}},
            {"kind": "webhook", "params": {"url": "ftp://example.com/hook"}},
            {"kind": "change_stage", "params": {"pipeline_id": 77, "stage_id": 1}},
            {"kind": "pause_agent", "params": {"minutes": 10, "color": "red"}},
        ],
    }
    response = owner_client.post(TRIGGERS, bad, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "trigger_invalid"
    assert set(problem["errors"]) == {
        "condition.all[0].op",
        "condition.all[1].ai",
        "actions[0].params.text",
        "actions[1].kind",
        "actions[2].params.url",
        "actions[3].params.pipeline_id",
        "actions[4].params.color",
    }
    assert problem["errors"]["actions[0].params.text"] == ["Unknown variables: {first_name}."]

    taken = owner_client.post(TRIGGERS, {**VALID, "actions": []}, format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "trigger_name_taken"
    patch = owner_client.patch(f"{TRIGGERS}/{trigger['id']}", {"condition": {"not": []}}, format="json")
    assert patch.status_code == 400 and "condition.not" in patch.json()["errors"]


def test_the_test_endpoint_executes_nothing_and_never_counts_towards_the_limit(owner_client, trigger, workspace):
    conversation = ConversationFactory(workspace=workspace)
    url = f"{TRIGGERS}/{trigger['id']}/test"
    result = owner_client.post(url, {"text": "Any discount?", "conversation": conversation.pk}, format="json").json()
    assert result["holds"] is True and result["outcome"] == "fired"
    assert [a["kind"] for a in result["actions"]] == ["send_message", "notify", "pause_agent"]
    assert result["actions"][2]["summary"] == "Pause the AI: minutes=30"
    assert result["verdict"]["tests"] == [{"condition": "message.text contains 'discount'", "holds": True}]
    again = owner_client.post(url, {"text": "Any discount?", "conversation": conversation.pk}, format="json").json()
    assert again["outcome"] == "fired"  # the first dry run did not use up the run limit of 1
    no = owner_client.post(url, {"text": "Hello", "conversation": None}, format="json").json()
    assert no["holds"] is False and no["outcome"] == "not_matched" and no["actions"] == []

    with workspace_scope(workspace.pk):
        conversation.refresh_from_db()
        assert Message.objects.filter(conversation=conversation).count() == 0
        assert conversation.status == "open" and conversation.ai_paused_until is None
        assert set(TriggerLog.objects.values_list("outcome", flat=True)) == {"tested"}
    logs = owner_client.get(f"{TRIGGERS}/{trigger['id']}/logs?outcome=tested").json()
    assert logs["count"] == 3 and logs["results"][0]["verdict"]["tests"][0]["holds"] is False  # newest first
    assert owner_client.get(f"{TRIGGERS}/{trigger['id']}/logs?outcome=fired").json()["count"] == 0


def test_the_vocabulary_lists_facts_actions_and_limits(member_client):
    vocabulary = member_client.get(f"{TRIGGERS}/vocabulary").json()
    facts = {fact["name"]: fact for fact in vocabulary["facts"]}
    assert "contains" in facts["message.text"]["operators"] and facts["lead.tags"]["kind"] == "list"
    actions = {action["kind"]: action for action in vocabulary["actions"]}
    assert len(actions) == 12
    assert actions["change_stage"]["params"] == [
        {"name": "pipeline_id", "type": "pipeline_id", "required": True},
        {"name": "stage_id", "type": "stage_id", "required": True},
    ]
    assert actions["notify"]["params"][2]["choices"] == ["owner", "admin", "member"]
    assert vocabulary["limit_scopes"] == ["conversation", "lead"]
    assert vocabulary["limit_periods"] == ["ever", "day", "week", "month"]


def test_members_read_but_cannot_write(member_client, trigger):
    url = f"{TRIGGERS}/{trigger['id']}"
    assert member_client.get(TRIGGERS).json()["count"] == 1
    assert member_client.get(f"{url}/logs").status_code == 200
    assert member_client.post(TRIGGERS, {**VALID, "name": "Mine"}, format="json").status_code == 403
    assert member_client.patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert member_client.delete(url).status_code == 403
    assert member_client.post(f"{url}/test", {"text": "discount"}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("patch", ""), ("delete", ""), ("get", "/logs"), ("post", "/test")],
)
def test_another_workspaces_trigger_is_404_on_every_route(stranger_client, trigger, method, suffix):
    response = getattr(stranger_client, method)(f"{TRIGGERS}/{trigger['id']}{suffix}", {"text": "x"}, format="json")
    assert response.status_code == 404


def test_another_workspace_sees_none_of_ours_and_cannot_test_on_our_conversation(stranger_client, trigger, workspace):
    assert stranger_client.get(TRIGGERS).json()["count"] == 0
    ours = ConversationFactory(workspace=workspace)
    theirs = stranger_client.post(TRIGGERS, {**VALID, "actions": []}, format="json").json()
    response = stranger_client.post(
        f"{TRIGGERS}/{theirs['id']}/test", {"text": "discount", "conversation": ours.pk}, format="json"
    )
    assert response.status_code == 400 and "conversation" in response.json()["errors"]


def test_a_null_condition_in_a_multipart_body_is_a_field_error_not_a_500(owner_client):
    body = (
        '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nNull one\r\n'
        '--b\r\nContent-Disposition: form-data; name="condition"\r\n\r\nnull\r\n--b--\r\n'
    )
    response = owner_client.generic("POST", "/api/triggers", body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400, response.content  # schemathesis found the 500 (seed 20261205)
    assert response.json()["errors"] == {"condition": ["This field may not be null."]}

"""The tenant matrix, generated from the OpenAPI schema: workspace B's owner (and B's API key) calls
every operation with workspace A's ids — in the path and in the body's relation fields — and must see
them exactly as ids that do not exist: the same status and problem code, no A data in the answer, and
not one of A's rows changed afterwards. Every list and search of B is read for A's canary word.

The demo data fills both workspaces (tests/demo_workspaces.py); new operations join the matrix by
being in the schema. An operation the generator cannot fill is a failure, not a skip.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Membership, Notification
from accounts.services import api_key_issue, invitation_create, notify
from agent_platform.api.keys import ApiKeyScope
from agent_platform.tenancy import Role, WorkspaceOwned, workspace_scope
from agents.models import Agent, UpdateRule
from automations.models import Chain, FieldWrite
from automations.services.chain_edit import chain_start_manual
from conversations.models import Conversation
from integrations.models import AICredential
from knowledge.models import Article
from knowledge.services import article_file_upload, article_relation_add
from tests.conftest import client_for
from tests.demo_workspaces import demo_workspaces
from tests.knowledge.conftest import run_indexing
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CANARY = "zebracanary"
MISSING = 987654321
PARAM = re.compile(r"\{(\w+)\}")
# Operations with nothing of a workspace to leak: authentication, the schema itself, the test app.
OUT_OF_SCOPE = re.compile(r"^/api/(auth/|schema/|docs/|sample/|invitations/accept)")
# Body and path fields that name another row, by the model they name.
RELATIONS = {
    "agent": "agents.Agent",
    "agent_id": "agents.Agent",
    "agent_pk": "agents.Agent",
    "categories": "knowledge.Category",
    "category_ids": "knowledge.Category",
    "category": "knowledge.Category",
    "parent": "knowledge.Category",
    "target": "knowledge.Article",
    "article": "knowledge.Article",
    "conversation": "conversations.Conversation",
    "conversation_pk": "conversations.Conversation",
    "message_pk": "conversations.Message",
    "run_id": "automations.ChainRun",
    "credential_id": "integrations.AICredential",
}

# Rows of a workspace that are not WorkspaceOwned (the user's notifications, the memberships).
NOT_WORKSPACE_OWNED = {
    "accounts.Notification": lambda workspace_id: Notification.objects.filter(workspace_id=workspace_id),
    "accounts.Membership": lambda workspace_id: Membership.objects.filter(workspace_id=workspace_id),
}
NOT_WORKSPACE_OWNED_PATHS = {"/api/notifications/": "accounts.Notification", "/members/": "accounts.Membership"}


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _first_pk(label: str, workspace_id: int) -> int:
    with workspace_scope(workspace_id):
        rows = (
            NOT_WORKSPACE_OWNED[label](workspace_id) if label in NOT_WORKSPACE_OWNED else apps.get_model(label).objects
        )
        row = rows.order_by("pk").first()
    assert row is not None, f"the demo data has no {label} in workspace {workspace_id}: seed one"
    return row.pk


def _view_model(path: str, method: str):
    """The model behind a `{id}` path: the viewset's scoped queryset."""
    for prefix, label in NOT_WORKSPACE_OWNED_PATHS.items():
        if prefix in path:
            return apps.get_model(label)
    match = resolve(PARAM.sub("1", path))
    view = match.func.cls(**getattr(match.func, "initkwargs", {}))
    view.action = match.func.actions.get(method.lower()) if hasattr(match.func, "actions") else None
    view.args, view.kwargs, view.request = (), match.kwargs, None
    with workspace_scope(0):
        return view.scoped_queryset().model


def _value(name: str, path: str, method: str, a_workspace: int) -> int:
    if name == "workspace_id":
        return a_workspace
    if name == "number":
        return 1  # an agent's version number; the agent in the path is A's
    if name in ("id", "pk"):
        return _first_pk(_view_model(path, method)._meta.label, a_workspace)
    assert name in RELATIONS, f"{method} {path}: no way to fill {{{name}}} with an id of A (add it to RELATIONS)"
    return _first_pk(RELATIONS[name], a_workspace)


def _resolved(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _body(schema: dict, operation: dict, ids: dict[str, int] | None) -> dict[str, Any] | None:
    """Required fields with plain values, and every relation field: A's id (or MISSING for None)."""
    content = (operation.get("requestBody") or {}).get("content") or {}
    if "application/json" not in content:
        return None
    node = _resolved(schema, content["application/json"]["schema"])
    body: dict[str, Any] = {}
    for name, prop in (node.get("properties") or {}).items():
        prop = _resolved(schema, prop)
        if prop.get("readOnly"):
            continue
        if name in RELATIONS:
            value = MISSING if ids is None else ids[RELATIONS[name]]
            body[name] = [value] if prop.get("type") == "array" else value
        elif name in node.get("required", []):
            body[name] = _plain(prop)
    return body


def _plain(prop: dict) -> Any:
    if "enum" in prop:
        return prop["enum"][0]
    return {"integer": 1, "number": 1, "boolean": False, "array": [], "object": {}}.get(prop.get("type"), "x")


def _fingerprint(workspace_id: int) -> dict[str, str]:
    """Every row of the workspace, serialized: what B must never change."""
    rows = {}
    with workspace_scope(workspace_id):
        for model in apps.get_models():
            if issubclass(model, WorkspaceOwned) and not model._meta.proxy:
                values = list(model.objects.order_by("pk").values())
                rows[model._meta.label] = json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return rows


def _call(client, method: str, path: str, body: dict | None):
    return client.generic(method, path, json.dumps(body or {}), content_type="application/json")


def _outcome(response) -> tuple[int, str]:
    code = ""
    if response.get("Content-Type", "").startswith("application/problem+json"):
        code = response.json().get("code", "")
    return response.status_code, code


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = demo_workspaces()
    ArticleFactory(
        workspace=a.workspace, indexed=True, title=f"The {CANARY} secret", body=f"<p>Only A knows {CANARY}.</p>"
    )
    for each, word in ((a, CANARY), (b, "plain")):
        run_indexing(each.workspace.pk)
        _one_of_each_kind(each, word)
    return a, b


def _one_of_each_kind(demo, word: str) -> None:
    """What the demo data lacks, so that every `{id}` of the schema has a row of A to try."""
    workspace, owner = demo.workspace, demo.owner
    with workspace_scope(workspace.pk):
        AICredential.objects.create(workspace=workspace, provider="openai", api_key=f"sk-{word}")
        conversation = Conversation.objects.order_by("pk").first()
        chain_start_manual(chain=Chain.objects.first(), conversation=conversation, actor=owner)
        agent = Agent.objects.order_by("pk").first()
        rule = UpdateRule.objects.create(
            workspace=workspace, agent=agent, name="Budget", instruction="The budget", field_id=1
        )
        FieldWrite.objects.create(
            workspace=workspace, conversation=conversation, agent=agent, rule=rule, entity="lead",
            entity_id="1", field_id=1, field_name="Budget", status="written", new_value="100",
        )  # fmt: skip
        source, target = Article.objects.order_by("pk")[:2]
        article_relation_add(source=source, target=target)
        article_file_upload(article=source, upload=SimpleUploadedFile("a.txt", b"Delivery takes 3 days."), actor=owner)
        api_key_issue(workspace=workspace, name="key", scopes=[ApiKeyScope.CONVERSATIONS_READ], actor=owner)
        invitation_create(workspace=workspace, email=f"invitee{workspace.pk}@example.com", role=Role.MEMBER,
                          invited_by=owner)  # fmt: skip
    notify(workspace=workspace, kind="test", title=f"{word} notice", users=[owner])


def test_workspace_b_sees_workspace_as_ids_as_ids_that_do_not_exist(world):
    a, b = world
    schema = _schema()
    ids = {label: _first_pk(label, a.workspace.pk) for label in set(RELATIONS.values())}
    _, key = api_key_issue(workspace=b.workspace, name="matrix", scopes=list(ApiKeyScope.values), actor=b.owner)
    key_client = client_for(None)
    key_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    callers = {"B's owner": client_for(b.owner, b.workspace), "B's API key": key_client}
    before = _fingerprint(a.workspace.pk)
    leaks, tried = [], 0
    for path, operations in schema["paths"].items():
        if OUT_OF_SCOPE.match(path):
            continue
        for method, operation in operations.items():
            method = method.upper()
            names = PARAM.findall(path)
            with_a = path
            missing = path
            for name in names:
                with_a = with_a.replace(f"{{{name}}}", str(_value(name, path, method, a.workspace.pk)))
                missing = missing.replace(f"{{{name}}}", str(MISSING))
            body_a, body_missing = _body(schema, operation, ids), _body(schema, operation, None)
            if not names and not any(k in RELATIONS for k in body_a or {}):
                continue  # nothing of A's named: the lists below read these
            for who, client in callers.items():
                tried += 1
                got, expected = _call(client, method, with_a, body_a), _call(client, method, missing, body_missing)
                if _outcome(got) != _outcome(expected) or CANARY in got.content.decode(errors="replace"):
                    leaks.append(f"{who}: {method} {with_a} → {_outcome(got)}, a missing id → {_outcome(expected)}")
    print(f"tenant matrix: {tried} calls with A's ids, by B's owner and B's API key")
    assert tried > 100, tried
    assert not leaks, "\n".join(leaks)
    assert _fingerprint(a.workspace.pk) == before


def test_no_list_or_search_of_b_shows_anything_of_a(world):
    a, b = world
    client = client_for(b.owner, b.workspace)
    schema = _schema()
    read = 0
    for path, operations in schema["paths"].items():
        if OUT_OF_SCOPE.match(path) or "{" in path or "get" not in operations:
            continue
        response = client.get(path, {"search": CANARY, "q": CANARY})
        read += 1
        answer = response.content.decode(errors="replace").replace(f'"query":"{CANARY}"', "")  # the echo
        assert CANARY not in answer, path
    assert read > 20, read
    for mode in ("hybrid", "fulltext", "semantic"):
        found = client.post("/api/knowledge/search", {"q": f"{CANARY} secret", "mode": mode}, format="json")
        assert found.status_code == 200 and found.json()["results"] == [], mode
    own = client_for(a.owner, a.workspace).post(
        "/api/knowledge/search", {"q": CANARY, "mode": "fulltext"}, format="json"
    )
    assert own.json()["results"], "the canary must be findable in A, or the check above proves nothing"

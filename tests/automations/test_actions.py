"""The action executor shared by triggers and chain steps: each kind does what it says on the
conversation, a failure is recorded and the rest still run; the webhook is signed like the API
channel's and retried only when trying again may help."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from automations.exceptions import WebhookFailed
from automations.models import ChainRun
from automations.services import ActionContext, action_errors, actions_run
from automations.services.webhooks import webhook_post
from conversations.services import api_channel_configure, webhook_signature
from tests.automations.factories import ChainStepFactory
from tests.conversations.factories import ConversationFactory

pytestmark = pytest.mark.django_db


def run(workspace, conversation, *actions):
    with workspace_scope(workspace.pk):
        context = ActionContext(conversation=conversation, agent=None, origin={"kind": "trigger", "trigger": 1})
        return actions_run(context, list(actions))


def test_pause_handoff_notify_and_chains_act_on_the_conversation(workspace, owner):
    conversation = ConversationFactory(workspace=workspace)
    step = ChainStepFactory(workspace=workspace, chain__workspace=workspace)
    results = run(
        workspace,
        conversation,
        ("start_chain", {"chain_id": step.chain.pk}),
        ("notify", {"title": "{customer_name} needs you", "body": "Asked for a discount", "roles": ["owner"]}),
        ("pause_agent", {"minutes": 45}),
        ("stop_chain", {"chain_id": None}),
        ("start_chain", {"chain_id": 999999}),
        ("handoff", {"reason": "VIP"}),
    )
    assert [r["ok"] for r in results] == [True, True, True, True, False, True], results
    assert results[3]["detail"] == "1 chain run(s) stopped"
    assert results[4]["error"] == "The chain no longer exists."
    with workspace_scope(workspace.pk):
        conversation.refresh_from_db()
        run_row = ChainRun.objects.get(chain=step.chain)
        [notification] = Notification.objects.filter(user=owner)
    assert run_row.status == ChainRun.Status.STOPPED and run_row.started_by == "trigger"
    assert notification.title == "Ana needs you" and notification.kind == "automation"
    assert conversation.status == "human" and conversation.ai_paused_until is None  # the handoff came last


def test_pause_agent_pauses_until_a_time(workspace):
    conversation = ConversationFactory(workspace=workspace)
    [result] = run(workspace, conversation, ("pause_agent", {"minutes": 45}))
    with workspace_scope(workspace.pk):
        conversation.refresh_from_db()
    assert result["ok"] and conversation.status == "human" and conversation.ai_paused_until is not None


def test_crm_actions_need_a_lead_and_params_are_checked_per_kind(workspace):
    conversation = ConversationFactory(workspace=workspace)
    [tag] = run(workspace, conversation, ("add_tag", {"tags": ["vip"]}))
    assert tag == {"kind": "add_tag", "ok": False, "error": "The conversation has no CRM lead."}
    with workspace_scope(workspace.pk):
        assert action_errors("add_tag", {"tags": []}) == {"tags": ["Required."]}
        assert action_errors("set_field", {"entity": "deal", "field_id": 1, "value": "x"}) == {
            "entity": ["lead or contact."]
        }
        assert action_errors("set_field", {"entity": "lead", "field_id": 5, "value": "x"}) == {
            "field_id": ["Not a Kommo lead field of this workspace (connect Kommo and sync)."]
        }
        assert action_errors("pause_agent", {"minutes": 99999}) == {"minutes": ["At most 43200 (30 days)."]}
        assert action_errors("stop_chain", {"chain_id": None}) == {}
        assert action_errors("webhook", {"url": "https://hooks.example.com/x", "secret": None}) == {}


class _Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.received, _Receiver.answers = [], []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver
    server.shutdown()


def test_the_webhook_is_signed_like_the_api_channel_and_retried_only_when_it_may_help(workspace, owner, receiver):
    url, handler = receiver
    event = {"event": "automation.webhook", "origin": {"kind": "trigger", "log": 7}, "conversation": {"id": 1}}
    with workspace_scope(workspace.pk):
        secret = api_channel_configure(workspace=workspace, webhook_url="", user=owner).signing_secret
        assert webhook_post(url=url, event=event, secret=None) == 200
        assert webhook_post(url=url, event=event, secret="own-secret") == 200
        handler.answers = [503, 400]
        with pytest.raises(WebhookFailed) as busy:
            webhook_post(url=url, event=event, secret=None)
        with pytest.raises(WebhookFailed) as refused:
            webhook_post(url=url, event=event, secret=None)
    assert busy.value.retryable is True and refused.value.retryable is False
    (headers, body), (own_headers, own_body) = handler.received[:2]
    assert json.loads(body) == event and headers["Idempotency-Key"] == "automation-trigger-7"
    assert headers["X-Signature"] == "sha256=" + webhook_signature(secret, headers["X-Timestamp"], body)
    assert own_headers["X-Signature"] == "sha256=" + webhook_signature(
        "own-secret", own_headers["X-Timestamp"], own_body
    )


def test_the_webhook_action_only_queues_the_post(workspace):
    conversation = ConversationFactory(workspace=workspace)
    [result] = run(workspace, conversation, ("webhook", {"url": "https://hooks.example.com/x"}))
    assert result == {"kind": "webhook", "ok": True, "detail": "queued"}

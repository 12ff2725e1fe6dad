"""The trigger engine on customer messages, through the message processor: a structured trigger fires
with a log row and its actions' results (the message reaches the conversation, the tag and the stage
reach the local Kommo's lead), an AI-judged one fires through the offline provider (and says why not
when it does not hold), the run limit holds, stop_ai_reply leaves the turn without an AI reply, and
another workspace's triggers never evaluate on our conversations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from agent_platform.tenancy import workspace_scope
from automations.models import ActionKind, TriggerLog
from automations.services import trigger_create
from conversations import services as conversations
from conversations.models import Message
from integrations.ai.exceptions import ProviderUnavailable
from integrations.kommo.selectors import pipeline_list
from integrations.kommo.services import lead_tags_add, sync_run
from integrations.kommo.services.tokens import client_for
from tests.agents.factories import AgentFactory

pytestmark = pytest.mark.django_db

DISCOUNT = {"fact": "message.text", "op": "contains", "value": "discount"}


def make_trigger(workspace, owner, **data):
    data.setdefault("name", "Discount asked")
    data.setdefault("condition", DISCOUNT)
    data.setdefault("actions", [])
    with workspace_scope(workspace.pk):
        return trigger_create(workspace=workspace, actor=owner, data=data)


def customer_writes(workspace, text, *, chat="chat-1", lead_id=""):
    with workspace_scope(workspace.pk):
        message, _ = conversations.ingest_message(
            workspace=workspace,
            channel="api",
            external_chat_id=chat,
            external_message_id=f"m-{chat}-{text}",
            text=text,
            customer_name="Ana",
            lead_id=lead_id,
        )
        reply = conversations.conversation_process(conversation_id=message.conversation_id)
    return message, reply


def logs(workspace, trigger):
    with workspace_scope(workspace.pk):
        return list(TriggerLog.objects.filter(trigger=trigger).order_by("id"))


def automated(workspace, conversation_id):
    with workspace_scope(workspace.pk):
        return list(Message.objects.filter(conversation_id=conversation_id, metadata__has_key="automation"))


@pytest.fixture
def agent(workspace, owner):
    return AgentFactory(workspace=workspace, actor=owner, answering=True)


@pytest.fixture
def lead(kommo, connected, workspace):
    """A lead in the local Kommo, in the first stage of its first pipeline; our pipelines synced."""
    with workspace_scope(workspace.pk):
        sync_run(integration_id=connected.pk)
        pipeline = pipeline_list().order_by("kommo_id").first()
        first, second = [s["id"] for s in pipeline.statuses if s["id"] not in (142, 143)][:2]
        client = client_for(connected)
        created = client.request(
            "POST", "/api/v4/leads", json=[{"name": "Ana", "pipeline_id": pipeline.kommo_id, "status_id": first}]
        )
        lead_id = created["_embedded"]["leads"][0]["id"]
    return {"id": lead_id, "pipeline": pipeline.kommo_id, "next_stage": second, "client": client}


def test_a_structured_trigger_fires_with_its_actions_reaching_the_conversation_and_the_crm(
    workspace, owner, agent, lead
):
    trigger = make_trigger(
        workspace,
        owner,
        actions=[
            {"kind": ActionKind.SEND_MESSAGE, "params": {"text": "Hi {customer_name}, a discount code is coming."}},
            {"kind": ActionKind.ADD_TAG, "params": {"tags": ["discount"]}},
            {
                "kind": ActionKind.CHANGE_STAGE,
                "params": {"pipeline_id": lead["pipeline"], "stage_id": lead["next_stage"]},
            },
        ],
    )
    message, reply = customer_writes(workspace, "Any DISCOUNT for a sofa?", lead_id=str(lead["id"]))

    [entry] = logs(workspace, trigger)
    assert entry.outcome == TriggerLog.Outcome.FIRED and entry.event == "message"
    assert entry.message_id == message.pk and entry.lead_id == str(lead["id"])
    assert entry.verdict["tests"] == [{"condition": "message.text contains 'discount'", "holds": True}]
    assert [(a["kind"], a["ok"]) for a in entry.actions] == [
        ("send_message", True),
        ("add_tag", True),
        ("change_stage", True),
    ], entry.actions
    [sent] = automated(workspace, message.conversation_id)
    assert sent.text == "Hi Ana, a discount code is coming."
    assert sent.metadata["automation"] == {
        "kind": "trigger",
        "trigger": trigger.pk,
        "name": trigger.name,
        "log": entry.pk,
    }
    in_kommo = lead["client"].lead(lead["id"])
    assert [t["name"] for t in in_kommo["_embedded"]["tags"]] == ["discount"]
    assert in_kommo["status_id"] == lead["next_stage"]
    # The trigger did not take the turn: the AI still answers, and the trace shows what fired.
    step = next(s for s in reply.trace if s["step"] == "triggers")
    assert step["evaluated"] == 1 and step["fired"][0]["trigger"] == trigger.pk and step["stop_reply"] is False
    assert reply.status != Message.Status.SKIPPED


def test_a_crm_action_without_kommo_fails_alone_and_the_others_still_run(workspace, owner, agent):
    trigger = make_trigger(
        workspace,
        owner,
        actions=[
            {"kind": ActionKind.ADD_NOTE, "params": {"text": "Asked for a discount"}},
            {"kind": ActionKind.SEND_MESSAGE, "params": {"text": "Let me check our offers."}},
        ],
    )
    message, _ = customer_writes(workspace, "discount please", lead_id="4242")
    [entry] = logs(workspace, trigger)
    assert entry.actions[0]["ok"] is False and "Connect Kommo" in entry.actions[0]["error"]
    assert entry.actions[1]["ok"] is True
    assert [m.text for m in automated(workspace, message.conversation_id)] == ["Let me check our offers."]


def test_an_ai_judged_trigger_fires_through_the_offline_provider_and_says_why_it_does_not(workspace, owner, agent):
    trigger = make_trigger(
        workspace,
        owner,
        condition={"ai": "the customer asks for a discount", "min_confidence": 0.7},
        actions=[{"kind": ActionKind.SEND_MESSAGE, "params": {"text": "A person will send you our offers."}}],
    )
    asked, _ = customer_writes(workspace, "Could I get a cheaper price with a coupon?", chat="asks")
    other, _ = customer_writes(workspace, "What time do you open tomorrow?", chat="other")

    fired, not_matched = logs(workspace, trigger)
    assert fired.outcome == TriggerLog.Outcome.FIRED and fired.conversation_id == asked.conversation_id
    [judgement] = fired.verdict["ai"]
    assert (
        judgement["holds"] is True
        and judgement["confidence"] >= 0.7
        and judgement["reason"] == "The messages mention “cheaper” (for “discount”)."
    )
    assert judgement["model"].startswith("offline:")
    assert not_matched.outcome == TriggerLog.Outcome.NOT_MATCHED
    assert not_matched.verdict["ai"][0]["reason"] == "The messages do not mention “discount”."
    assert not_matched.actions == []
    assert automated(workspace, other.conversation_id) == []


def test_the_run_limit_holds_and_the_second_message_is_logged_limited(workspace, owner, agent):
    trigger = make_trigger(
        workspace,
        owner,
        run_limit=1,
        actions=[{"kind": ActionKind.SEND_MESSAGE, "params": {"text": "Here is 10% off."}}],
    )
    first, _ = customer_writes(workspace, "discount?")
    customer_writes(workspace, "another discount?")
    customer_writes(workspace, "discount here too", chat="chat-2")  # another conversation: its own limit

    outcomes = [(entry.conversation_id == first.conversation_id, entry.outcome) for entry in logs(workspace, trigger)]
    assert outcomes == [(True, "fired"), (True, "limited"), (False, "fired")]
    limited = logs(workspace, trigger)[1]
    assert limited.actions == [] and "Run limit reached" in limited.why
    assert len(automated(workspace, first.conversation_id)) == 1


def test_stop_ai_reply_leaves_the_turn_without_an_ai_reply(workspace, owner, agent):
    trigger = make_trigger(
        workspace,
        owner,
        stop_ai_reply=True,
        actions=[{"kind": ActionKind.SEND_MESSAGE, "params": {"text": "A manager will write to you."}}],
    )
    message, reply = customer_writes(workspace, "I want a discount")
    with workspace_scope(workspace.pk):
        reply.refresh_from_db()
        message.refresh_from_db()
        ai_texts = list(
            Message.objects.filter(conversation_id=message.conversation_id, author=Message.Author.AI)
            .exclude(metadata__has_key="automation")
            .exclude(text="")
            .values_list("text", flat=True)
        )
    assert reply.status == Message.Status.SKIPPED and reply.text == ""
    assert reply.trace[-1]["decision"] == "stopped_by_trigger" and trigger.name in reply.trace[-1]["why"]
    assert message.status == Message.Status.SKIPPED
    assert ai_texts == []
    assert [m.text for m in automated(workspace, message.conversation_id)] == ["A manager will write to you."]


def test_triggers_of_another_workspace_or_another_agent_never_evaluate_here(workspace, owner, agent, other_workspace):
    theirs = make_trigger(other_workspace, None, name="Theirs")
    other_agent = AgentFactory(workspace=workspace, actor=owner, name="Sales")
    for_other_agent = make_trigger(workspace, owner, name="Sales only", agent=other_agent)
    ours = make_trigger(workspace, owner, name="Ours", priority=5)
    _, reply = customer_writes(workspace, "discount?")

    assert TriggerLog.objects.unscoped_across_workspaces().filter(trigger=theirs).count() == 0
    assert logs(workspace, for_other_agent) == []
    assert [entry.outcome for entry in logs(workspace, ours)] == ["fired"]
    assert next(s for s in reply.trace if s["step"] == "triggers")["evaluated"] == 1


def test_lead_facts_come_from_the_crm_snapshot_and_time_from_the_workspace_clock(workspace, owner, agent, lead):
    workspace.time_zone = "Europe/Madrid"
    workspace.save()
    with workspace_scope(workspace.pk):
        lead_tags_add(lead_id=lead["id"], tags=["VIP"])  # refreshes our snapshot from Kommo's answer
    trigger = make_trigger(
        workspace,
        owner,
        name="VIP on Tuesday night",
        condition={
            "all": [
                {"fact": "lead.tags", "op": "includes", "value": "vip"},
                {"fact": "lead.pipeline_id", "op": "equals", "value": lead["pipeline"]},
                {"fact": "time.weekday", "op": "equals", "value": 2},
                {"fact": "time.local", "op": "between", "value": ["00:00", "01:00"]},
                {"fact": "message.language", "op": "equals", "value": "en"},
            ]
        },
    )
    with time_machine.travel(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), tick=False):  # Tuesday 00:30 in Madrid
        customer_writes(workspace, "Hello, what is the price of the sofa?", lead_id=str(lead["id"]))
    [entry] = logs(workspace, trigger)
    assert entry.outcome == TriggerLog.Outcome.FIRED, entry.why
    assert [test["holds"] for test in entry.verdict["tests"]] == [True] * 5


def test_a_judge_that_fails_is_logged_as_failed_and_the_ai_still_answers(workspace, owner, agent, monkeypatch):
    def unreachable(**kwargs):
        raise ProviderUnavailable("The provider timed out after 3 attempts.")

    monkeypatch.setattr("automations.services.evaluation.generate", unreachable)
    trigger = make_trigger(workspace, owner, condition={"ai": "the customer is angry"}, stop_ai_reply=True)
    _, reply = customer_writes(workspace, "This is terrible")
    [entry] = logs(workspace, trigger)
    assert entry.outcome == TriggerLog.Outcome.FAILED
    assert entry.why == "The AI judge failed: The provider timed out after 3 attempts."
    assert reply.status != Message.Status.SKIPPED  # a failed trigger does not take the turn

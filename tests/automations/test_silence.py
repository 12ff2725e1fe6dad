""" "Customer silent for N minutes": each customer message (re)sets the trigger's timer for the
conversation; beat claims due timers (the claim takes the clock as a parameter) and the trigger fires
once per silence — not when the customer wrote again in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from agent_platform import celery_config
from agent_platform.celery import BEAT_SCHEDULE, QUEUES, app
from agent_platform.tenancy import workspace_scope
from automations.models import ActionKind, DueStatus, TriggerLog, TriggerTimer
from automations.services import silence_timer_run, silence_timers_claim, trigger_create, trigger_update
from conversations.models import Message
from tests.conversations.factories import CustomerMessageFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
SILENT_30 = {"fact": "customer.silent_minutes", "op": "gte", "value": 30}


@pytest.fixture
def trigger(workspace, owner):
    with workspace_scope(workspace.pk):
        return trigger_create(
            workspace=workspace,
            actor=owner,
            data={
                "name": "Nudge after silence",
                "condition": SILENT_30,
                "actions": [{"kind": ActionKind.SEND_MESSAGE, "params": {"text": "Still there, {customer_name}?"}}],
            },
        )


def writes(workspace, chat, text, at):
    with time_machine.travel(at, tick=False):
        return CustomerMessageFactory(workspace=workspace, external_chat_id=chat, text=text, customer_name="Ana")


def run_due(at):
    due = silence_timers_claim(now=at)
    outcomes = []
    for workspace_id, timer_id in due:
        with workspace_scope(workspace_id), time_machine.travel(at, tick=False):
            outcomes.append(silence_timer_run(timer_id=timer_id, now=at))
    return outcomes


def nudges(workspace, conversation_id):
    with workspace_scope(workspace.pk):
        return list(
            Message.objects.filter(conversation_id=conversation_id, metadata__has_key="automation").values_list(
                "text", flat=True
            )
        )


def test_a_silence_trigger_fires_once_n_minutes_after_the_last_message(workspace, trigger):
    message = writes(workspace, "quiet", "Let me think about it", T0)
    with workspace_scope(workspace.pk):
        timer = TriggerTimer.objects.get(trigger=trigger, conversation_id=message.conversation_id)
    assert timer.due_at == T0 + timedelta(minutes=30) and timer.status == DueStatus.PENDING

    assert run_due(T0 + timedelta(minutes=29)) == []
    assert run_due(T0 + timedelta(minutes=30)) == ["fired"]
    assert run_due(T0 + timedelta(hours=5)) == []  # consumed: once per silence

    with workspace_scope(workspace.pk):
        [entry] = TriggerLog.objects.filter(trigger=trigger)
        timer.refresh_from_db()
    assert entry.event == "silence" and entry.message_id == message.pk
    assert entry.verdict["tests"] == [{"condition": "customer.silent_minutes gte 30", "holds": True}]
    assert timer.status == DueStatus.DONE
    assert nudges(workspace, message.conversation_id) == ["Still there, Ana?"]


def test_a_customer_who_writes_again_moves_the_timer_and_a_new_silence_fires_again(workspace, trigger):
    first = writes(workspace, "chatty", "Hello", T0)
    writes(workspace, "chatty", "Are you there?", T0 + timedelta(minutes=20))
    with workspace_scope(workspace.pk):
        [timer] = TriggerTimer.objects.filter(trigger=trigger, conversation_id=first.conversation_id)
    assert timer.due_at == T0 + timedelta(minutes=50)  # one pending row, moved

    assert run_due(T0 + timedelta(minutes=30)) == []  # not silent long enough since the last message
    assert run_due(T0 + timedelta(minutes=50)) == ["fired"]
    writes(workspace, "chatty", "One more question", T0 + timedelta(hours=2))
    assert run_due(T0 + timedelta(hours=2, minutes=30)) == ["fired"]  # a new silence
    assert nudges(workspace, first.conversation_id) == ["Still there, Ana?", "Still there, Ana?"]


def test_switching_the_trigger_off_cancels_its_timers_and_message_triggers_get_none(workspace, owner, trigger):
    message = writes(workspace, "off", "Hi", T0)
    with workspace_scope(workspace.pk):
        trigger_update(trigger=trigger, actor=owner, data={"is_active": False})
        words = {"fact": "message.text", "op": "contains", "value": "hi"}
        trigger_create(workspace=workspace, actor=owner, data={"name": "On words", "condition": words})
        writes(workspace, "off", "Hi again", T0 + timedelta(minutes=1))
        statuses = list(TriggerTimer.objects.values_list("trigger__name", "status"))
    assert statuses == [("Nudge after silence", DueStatus.CANCELLED)]
    assert run_due(T0 + timedelta(hours=1)) == []
    assert nudges(workspace, message.conversation_id) == []


def test_beat_claims_the_timers_every_minute_on_a_queue_the_workers_consume():
    entry = BEAT_SCHEDULE["automations-trigger-timers"]
    assert entry["task"] == "automations.tasks.trigger_timers_claim_task" and entry["options"]["expires"] == 90
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks and "automations.tasks.trigger_timer_run_task" in app.tasks
    route = celery_config.task_routes["automations.tasks.trigger_*"]["queue"]
    assert route in QUEUES

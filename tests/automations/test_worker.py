"""The silence timers on a real Celery worker (through Redis): the beat task claims a due timer and its
run task, routed to the `chains` queue, evaluates the trigger in its workspace."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from automations.models import DueStatus, TriggerLog, TriggerTimer
from automations.services import trigger_create
from automations.tasks import trigger_timers_claim_task
from tests.conversations.factories import CustomerMessageFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_due_silence_timer_is_claimed_by_beat_and_run_by_a_worker(celery_worker_process, workspace, owner):
    with workspace_scope(workspace.pk):
        trigger = trigger_create(
            workspace=workspace,
            actor=owner,
            data={
                "name": "Silent 10",
                "condition": {"fact": "customer.silent_minutes", "op": "gte", "value": 10},
                "actions": [{"kind": "send_message", "params": {"text": "Anything else?"}}],
            },
        )
    message = CustomerMessageFactory(workspace=workspace, text="Thanks", external_chat_id="worker-chat")
    with workspace_scope(workspace.pk):
        # The customer wrote 11 minutes ago: move the message and its timer back in time.
        earlier = timezone.now() - timedelta(minutes=11)
        type(message).objects.filter(pk=message.pk).update(source_timestamp=earlier)
        TriggerTimer.objects.filter(trigger=trigger).update(due_at=earlier + timedelta(minutes=10))

    assert trigger_timers_claim_task() == 1
    deadline = time.monotonic() + 20
    entry = None
    while entry is None and time.monotonic() < deadline:
        with workspace_scope(workspace.pk):
            entry = TriggerLog.objects.filter(trigger=trigger).first()
        time.sleep(0.1)
    assert entry is not None and entry.outcome == "fired" and entry.event == "silence"
    with workspace_scope(workspace.pk):
        assert TriggerTimer.objects.get(trigger=trigger).status == DueStatus.DONE
    assert trigger_timers_claim_task() == 0

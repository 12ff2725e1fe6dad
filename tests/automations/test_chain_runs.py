"""A chain's run: started once per conversation, its first step due inside working hours, stopped by
the events its chain stops on (through the processor's hook points)."""

from datetime import UTC, datetime

import pytest
import time_machine

from agent_platform.tenancy import workspace_scope
from automations.models import ChainRun, ChainRunStep, DueStatus
from automations.services import chain_start
from conversations.services import conversation_close, conversation_handoff
from tests.automations.factories import ChainStepFactory
from tests.conversations.factories import ConversationFactory, CustomerMessageFactory

pytestmark = pytest.mark.django_db

MONDAY_EVENING = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)  # 18:30 in Madrid


@pytest.fixture
def step(workspace):
    workspace.time_zone = "Europe/Madrid"
    workspace.save()
    step = ChainStepFactory(workspace=workspace, delay_minutes=60)
    step.chain.working_hours = {
        day: [{"start": "09:00", "end": "18:00"}] for day in ("mon", "tue", "wed", "thu", "fri")
    }
    step.chain.save()
    return step


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_a_step_due_after_hours_waits_for_the_next_morning_and_a_run_starts_once(workspace, step):
    conversation = ConversationFactory(workspace=workspace)
    with workspace_scope(workspace.pk):
        run = chain_start(chain=step.chain, conversation=conversation, started_by="manual")
        again = chain_start(chain=step.chain, conversation=conversation, started_by="manual")
        row = ChainRunStep.objects.get(run=run)
    assert again is None
    assert row.scheduled_for == datetime(2026, 12, 7, 18, 30, tzinfo=UTC)
    assert row.due_at == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Madrid


@pytest.mark.parametrize("event", ["customer_replied", "human_took_over", "closed"])
def test_the_run_stops_on_the_events_its_chain_stops_on(workspace, owner, step, event):
    first = CustomerMessageFactory(workspace=workspace, external_chat_id="chat-stop")
    conversation = first.conversation
    with workspace_scope(workspace.pk):
        run = chain_start(chain=step.chain, conversation=conversation, started_by="manual")
        if event == "customer_replied":
            CustomerMessageFactory(workspace=workspace, external_chat_id="chat-stop", text="Yes please")
        elif event == "human_took_over":
            conversation_handoff(conversation=conversation, user=owner)
        else:
            conversation_close(conversation=conversation, user=owner)
        run.refresh_from_db()
        pending = ChainRunStep.objects.filter(run=run, status=DueStatus.PENDING).count()
    expected = ChainRun.Status.STOPPED if event != "closed" else ChainRun.Status.ACTIVE  # closing is not in its stop_on
    assert run.status == expected
    assert pending == (0 if expected == ChainRun.Status.STOPPED else 1)

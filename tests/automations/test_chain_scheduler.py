"""The chain scheduler: due steps claimed by beat (SKIP LOCKED), sent inside working hours, each exactly
once — with two claimers at once, a re-delivered task, a worker killed mid-step — then the next step
after its delay, until the customer replies."""

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from agent_platform.tenancy import workspace_scope
from automations import services
from automations.models import ChainRun, ChainRunStep, ChainStep, ChainStepAction, DueStatus
from automations.tasks import chain_steps_claim_task
from conversations.models import Message
from tests.automations.factories import ChainFactory, ChainStepFactory
from tests.conversations.factories import ConversationFactory, CustomerMessageFactory

pytestmark = pytest.mark.django_db

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
FRIDAY_AFTERNOON = datetime(2026, 12, 11, 16, 30, tzinfo=UTC)  # 17:30 in Madrid
MONDAY_9 = datetime(2026, 12, 14, 8, 0, tzinfo=UTC)  # 09:00 in Madrid
TUESDAY_9 = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
def chain(workspace):
    workspace.time_zone = "Europe/Madrid"
    workspace.save()
    chain = ChainFactory(
        workspace=workspace, working_hours={day: [{"start": "09:00", "end": "18:00"}] for day in WEEKDAYS}
    )
    ChainStepFactory(chain=chain, workspace=workspace, order=0, delay_minutes=60, template="Hi {customer_name}!")
    ChainStepFactory(chain=chain, workspace=workspace, order=1, delay_minutes=24 * 60, template="Still there?")
    return chain


@pytest.fixture
def anytime_chain(chain):
    """The chain without working hours: its steps go out whenever they are due (the real clock)."""
    chain.working_hours = {}
    chain.save()
    return chain


def _start(chain, workspace):
    return services.chain_start(chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="manual")


def _run_due(workspace, now):
    with workspace_scope(workspace.pk):
        claimed = services.chain_steps_claim(now=now)
        for _, row_id in claimed:
            services.chain_step_run(row_id=row_id, now=now)
    return claimed


def _sent(run):
    return list(Message.objects.filter(metadata__automation__run=run.pk).order_by("id").values_list("text", flat=True))


def test_step_one_waits_over_the_night_and_the_weekend_step_two_follows_its_delay_a_reply_stops_it(workspace, chain):
    conversation = ConversationFactory(workspace=workspace, customer_name="Anna", external_chat_id="chat-w")
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as clock:
        with workspace_scope(workspace.pk):
            run = services.chain_start(chain=chain, conversation=conversation, started_by="manual")
            first = ChainRunStep.objects.get(run=run)
        assert first.scheduled_for == FRIDAY_AFTERNOON + timedelta(hours=1)  # 18:30 Friday: closed
        assert first.due_at == MONDAY_9
        clock.move_to(datetime(2026, 12, 12, 10, 0, tzinfo=UTC))  # Saturday morning
        assert _run_due(workspace, datetime.now(UTC)) == []
        clock.move_to(MONDAY_9 - timedelta(seconds=1))
        assert _run_due(workspace, datetime.now(UTC)) == []
        clock.move_to(MONDAY_9)
        assert len(_run_due(workspace, datetime.now(UTC))) == 1
        with workspace_scope(workspace.pk):
            assert _sent(run) == ["Hi Anna!"]
            first.refresh_from_db()
            second = ChainRunStep.objects.get(run=run, step__order=1)
        assert first.status == DueStatus.DONE and first.message.source_timestamp == MONDAY_9
        assert second.scheduled_for == second.due_at == TUESDAY_9  # a day after step one was sent
        clock.move_to(TUESDAY_9 - timedelta(minutes=1))
        assert _run_due(workspace, datetime.now(UTC)) == []
        with workspace_scope(workspace.pk):
            CustomerMessageFactory(workspace=workspace, external_chat_id="chat-w", text="Not now, thanks")
            run.refresh_from_db()
            second.refresh_from_db()
        assert run.status == ChainRun.Status.STOPPED and run.stop_reason == "The customer replied"
        assert second.status == DueStatus.CANCELLED
        clock.move_to(TUESDAY_9 + timedelta(minutes=5))
        assert _run_due(workspace, datetime.now(UTC)) == []
        with workspace_scope(workspace.pk):
            assert _sent(run) == ["Hi Anna!"]


def test_the_last_step_completes_the_run(workspace, chain):
    conversation = ConversationFactory(workspace=workspace)
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False) as clock:
        with workspace_scope(workspace.pk):
            run = services.chain_start(chain=chain, conversation=conversation, started_by="manual")
        clock.move_to(MONDAY_9)
        _run_due(workspace, MONDAY_9)
        clock.move_to(TUESDAY_9)
        _run_due(workspace, TUESDAY_9)
        with workspace_scope(workspace.pk):
            run.refresh_from_db()
            assert _sent(run) == ["Hi Ana!", "Still there?"]
    assert run.status == ChainRun.Status.COMPLETED and run.finished_at == TUESDAY_9


def test_a_step_claimed_late_at_night_moves_to_the_next_window_instead_of_sending(workspace, chain):
    conversation = ConversationFactory(workspace=workspace)
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False), workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=conversation, started_by="manual")
    night = datetime(2026, 12, 14, 22, 0, tzinfo=UTC)  # Monday 23:00 in Madrid: the worker was down all day
    with time_machine.travel(night, tick=False):
        assert len(_run_due(workspace, night)) == 1
        with workspace_scope(workspace.pk):
            row = ChainRunStep.objects.get(run=run)
            assert _sent(run) == []
    assert row.status == DueStatus.PENDING and row.due_at == TUESDAY_9


@pytest.mark.django_db(transaction=True)
def test_two_claimers_at_once_take_each_step_once_and_send_it_once(workspace, anytime_chain):
    now = datetime.now(UTC)
    with workspace_scope(workspace.pk):
        runs = [
            services.chain_start(
                chain=anytime_chain, conversation=ConversationFactory(workspace=workspace), started_by="manual"
            )
            for _ in range(30)
        ]
        ChainRunStep.objects.filter(run__in=runs).update(due_at=now - timedelta(seconds=1))
    barrier = threading.Barrier(2)
    claimed: list[list[tuple[int, int]]] = [[], []]

    def claimer(slot: int) -> None:
        try:
            barrier.wait()
            while due := services.chain_steps_claim(now=now, limit=4):
                claimed[slot].extend(due)
                time.sleep(0.001)
            # Each claimer then also runs every row (as a re-delivered task would): still one message.
            with workspace_scope(workspace.pk):
                for _, row_id in claimed[0] + claimed[1]:
                    services.chain_step_run(row_id=row_id, now=now)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [row_id for _, row_id in claimed[0] + claimed[1]]
    assert len(ids) == len(set(ids)) == 30
    assert claimed[0] and claimed[1]  # both took part
    with workspace_scope(workspace.pk):
        for run in runs:
            assert len(_sent(run)) == 1
        assert ChainRunStep.objects.filter(status=DueStatus.DONE).count() == 30


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_step_at_once_send_it_once(workspace, anytime_chain):
    now = datetime.now(UTC)
    with workspace_scope(workspace.pk):
        run = services.chain_start(
            chain=anytime_chain, conversation=ConversationFactory(workspace=workspace), started_by="x"
        )
        ChainRunStep.objects.filter(run=run).update(due_at=now)
        [(_, row_id)] = services.chain_steps_claim(now=now)
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            with workspace_scope(workspace.pk):
                services.chain_step_run(row_id=row_id, now=now)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with workspace_scope(workspace.pk):
        assert len(_sent(run)) == 1
        assert ChainRunStep.objects.filter(run=run).count() == 2  # step two scheduled once


def test_a_worker_killed_mid_step_loses_nothing_and_sends_once(workspace, anytime_chain):
    now = datetime.now(UTC)
    with workspace_scope(workspace.pk):
        run = services.chain_start(
            chain=anytime_chain, conversation=ConversationFactory(workspace=workspace), started_by="x"
        )
        ChainRunStep.objects.filter(run=run).update(due_at=now)
        [(_, row_id)] = services.chain_steps_claim(now=now)  # …and its task never runs
        assert services.chain_steps_claim(now=now + timedelta(minutes=1)) == []
        assert services.chain_steps_recover(now=now + timedelta(minutes=4)) == 0  # not yet timed out
        assert services.chain_steps_recover(now=now + timedelta(minutes=6)) == 1
        later = now + timedelta(minutes=6)
        assert services.chain_steps_claim(now=later) == [(workspace.pk, row_id)]
        services.chain_step_run(row_id=row_id, now=later)
        services.chain_step_run(row_id=row_id, now=later)  # the lost task, delivered after all
        assert services.chain_steps_recover(now=later + timedelta(minutes=10)) == 0
        assert services.chain_steps_claim(now=later + timedelta(minutes=10)) == []
        assert len(_sent(run)) == 1
        assert ChainRunStep.objects.get(pk=row_id).status == DueStatus.DONE


def test_an_ai_follow_up_answers_from_the_knowledge_base_on_the_offline_model(workspace, make_agent, kb_article):
    kb_article()
    agent = make_agent()
    asked = CustomerMessageFactory(workspace=workspace, external_chat_id="chat-ai", text="Do you ship to Spain?")
    conversation = asked.conversation
    conversation.agent, conversation.customer_name = agent, "Ana"
    with workspace_scope(workspace.pk):
        conversation.save()
    chain = ChainFactory(workspace=workspace)
    ChainStepFactory(
        chain=chain,
        workspace=workspace,
        delay_minutes=0,
        kind=ChainStep.Kind.AI,
        template="",
        ai_instruction="Remind them how fast express delivery is",
    )
    ChainStepFactory(chain=chain, workspace=workspace, kind=ChainStep.Kind.AI, template="", ai_instruction="Say hi")
    with workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=conversation, started_by="manual")
        now = datetime.now(UTC)
        _run_due(workspace, now)
        ChainRunStep.objects.filter(run=run, status=DueStatus.PENDING).update(due_at=now)
        _run_due(workspace, now)
        texts = _sent(run)
    assert "next day" in texts[0] and "[1]" not in texts[0]
    assert texts[1] == "Hi, Ana! Just following up on our conversation — is there anything else I can help you with?"


@pytest.mark.django_db(transaction=True)
def test_a_step_due_now_is_sent_by_the_real_worker(celery_worker_process, workspace):
    chain = ChainFactory(workspace=workspace)
    ChainStepFactory(chain=chain, workspace=workspace, delay_minutes=0, template="Right away, {customer_name}")
    with workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="x")
    chain_steps_claim_task()  # what beat does every two seconds (the start also queued one)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with workspace_scope(workspace.pk):
            run.refresh_from_db()
            if run.status == ChainRun.Status.COMPLETED:
                break
        time.sleep(0.1)
    with workspace_scope(workspace.pk):
        assert _sent(run) == ["Right away, Ana"]
    assert run.status == ChainRun.Status.COMPLETED


def test_a_steps_actions_run_once_after_its_message_and_may_stop_the_run(workspace, anytime_chain):
    first, second = anytime_chain.steps.order_by("order")
    with workspace_scope(workspace.pk):
        ChainStepAction.objects.create(
            workspace=workspace, step=first, order=0, kind="pause_agent", params={"minutes": 30}
        )
        ChainStepAction.objects.create(workspace=workspace, step=first, order=1, kind="stop_chain", params={})
    conversation = ConversationFactory(workspace=workspace)
    now = datetime.now(UTC)
    with workspace_scope(workspace.pk):
        run = services.chain_start(chain=anytime_chain, conversation=conversation, started_by="manual")
        ChainRunStep.objects.filter(run=run).update(due_at=now)
        [(_, row_id)] = services.chain_steps_claim(now=now)
        services.chain_step_run(row_id=row_id, now=now)
        services.chain_step_run(row_id=row_id, now=now)
        row = ChainRunStep.objects.get(pk=row_id)
        run.refresh_from_db()
        conversation.refresh_from_db()
        assert _sent(run) == ["Hi Ana!"]
        assert not ChainRunStep.objects.filter(run=run, step=second).exists()
    assert [(result["kind"], result["ok"]) for result in row.actions] == [("pause_agent", True), ("stop_chain", True)]
    assert conversation.ai_paused_until is not None
    assert run.status == ChainRun.Status.STOPPED and run.stop_reason == "Stopped by an automation"


def test_a_holiday_moves_the_step_to_the_next_working_day(workspace, chain):
    chain.holidays = [date(2026, 12, 14)]  # Monday
    chain.save()
    with time_machine.travel(FRIDAY_AFTERNOON, tick=False), workspace_scope(workspace.pk):
        run = services.chain_start(chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="x")
        row = ChainRunStep.objects.get(run=run)
    assert row.due_at == TUESDAY_9
    assert _run_due(workspace, MONDAY_9 + timedelta(hours=3)) == []

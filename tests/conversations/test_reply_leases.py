"""An AI reply's processing lease (conversations.services.leases): a reply whose worker died is
generated again by the minute sweep after REPLY_RECOVERY_SECONDS, exactly once, instead of waiting 16
minutes for the sweep to fail it and a person to retry it. The real-process proof (a SIGKILLed worker)
is tests/faults/test_reply_recovery.py."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Conversation, Message
from conversations.services import leases
from conversations.services.scheduling import MAX_RECOVERIES, _abandoned_reply_regenerate
from tests.conversations.factories import AIReplyFactory
from tests.conversations.flow import ingest
from tests.conversations.leases import lease_held_elsewhere

pytestmark = pytest.mark.django_db

REGENERATE = "conversations.tasks.reply_generate_task"


def _interrupted(workspace, agent, *, seconds_ago: float | None = None):
    """A reply left `processing` by a worker that died mid-generation (no session holds its lease)."""
    message, _ = ingest(workspace, "Do you deliver?")
    with workspace_scope(workspace.pk):
        Conversation.objects.filter(pk=message.conversation_id).update(agent=agent)
        reply = AIReplyFactory(
            conversation=message.conversation,
            answers=[message.pk],
            trace=[{"step": "agent", "ms": 0, "agent": agent.pk, "name": agent.name, "why": "test"}],
        )
        Message.objects.filter(pk=message.pk).update(status="processing")
        ago = settings.REPLY_RECOVERY_SECONDS + 30 if seconds_ago is None else seconds_ago
        Message.objects.filter(pk=reply.pk).update(updated_at=timezone.now() - timedelta(seconds=ago))
    return message, reply


def _sweep(capture) -> tuple[dict, list]:
    with mock.patch("agent_platform.celery.app.send_task") as send_task, capture(execute=True):
        outcome = services.stuck_work_recover()
    return outcome, [c.args[0] for c in send_task.call_args_list if c.args[0] == REGENERATE]


def test_a_dead_workers_reply_is_generated_again_by_the_sweep_once(
    workspace, make_agent, django_capture_on_commit_callbacks
):
    agent = make_agent()
    message, reply = _interrupted(workspace, agent, seconds_ago=30)
    outcome, sent = _sweep(django_capture_on_commit_callbacks)
    assert (outcome["regenerated_replies"], sent) == (0, [])  # younger than REPLY_RECOVERY_SECONDS: wait
    Message.objects.unscoped_across_workspaces().filter(pk=reply.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.REPLY_RECOVERY_SECONDS + 1)
    )
    outcome, sent = _sweep(django_capture_on_commit_callbacks)
    assert (outcome["regenerated_replies"], outcome["failed_replies"], sent) == (1, 0, [REGENERATE])
    reply.refresh_from_db()
    assert reply.status == "processing" and reply.metadata["recoveries"] == 1
    assert reply.status_reason == "Interrupted: generating again"
    outcome, sent = _sweep(django_capture_on_commit_callbacks)
    assert (outcome["regenerated_replies"], sent) == (0, [])  # the row was touched: its task has time to run

    with workspace_scope(workspace.pk):
        generated = services.reply_generate(reply_id=reply.pk)
        assert generated.status == "sending" and generated.text
        # The dead worker's own task, redelivered an hour later, and a duplicate of the sweep's: nothing.
        assert services.reply_generate(reply_id=reply.pk).status == "sending"
        assert services.conversation_process(conversation_id=message.conversation_id) is None
    message.refresh_from_db()
    assert message.status == "processing"  # claimed by its reply until the send confirms it
    assert Message.objects.unscoped_across_workspaces().filter(author="ai").count() == 1


def test_a_live_workers_reply_is_left_to_it(workspace, make_agent, django_capture_on_commit_callbacks):
    _message, reply = _interrupted(workspace, make_agent())
    with lease_held_elsewhere(reply.pk):
        outcome, sent = _sweep(django_capture_on_commit_callbacks)
        assert (outcome["regenerated_replies"], outcome["failed_replies"], sent) == (0, 0, [])
        with workspace_scope(workspace.pk):  # a second task for it does not generate it too
            assert services.reply_generate(reply_id=reply.pk) is None
    reply.refresh_from_db()
    assert reply.status == "processing" and "recoveries" not in reply.metadata
    # The worker died (its session ended): the next sweep gives the reply to a new task.
    outcome, sent = _sweep(django_capture_on_commit_callbacks)
    assert (outcome["regenerated_replies"], sent) == (1, [REGENERATE])


def test_a_reply_that_keeps_killing_its_worker_fails_visibly(workspace, make_agent, django_capture_on_commit_callbacks):
    message, reply = _interrupted(workspace, make_agent())
    for _ in range(MAX_RECOVERIES):
        assert _sweep(django_capture_on_commit_callbacks)[1] == [REGENERATE]
        Message.objects.unscoped_across_workspaces().filter(pk=reply.pk).update(
            updated_at=timezone.now() - timedelta(seconds=settings.REPLY_RECOVERY_SECONDS + 1)
        )  # its task died too
    outcome, sent = _sweep(django_capture_on_commit_callbacks)
    assert (outcome["regenerated_replies"], outcome["failed_replies"], sent) == (0, 1, [])
    reply.refresh_from_db()
    message.refresh_from_db()
    assert (reply.status, reply.status_reason, reply.failure_stage) == (
        "failed",
        "Processing was interrupted; retry it.",
        "processing",
    )
    assert message.status == "received"  # waits for the retry, which gives the recoveries back
    with workspace_scope(workspace.pk):
        services.message_retry(message=reply, user=None)
    reply.refresh_from_db()
    assert reply.status == "processing" and "recoveries" not in reply.metadata


def test_only_the_lease_holder_settles_a_reply(workspace, make_agent):
    _message, reply = _interrupted(workspace, make_agent())
    with workspace_scope(workspace.pk):
        assert not leases.reply_still_leased(reply)  # this session never took it (a run whose connection dropped)
        with leases.reply_lease(reply.pk) as held:
            assert held and leases.reply_still_leased(reply)
            Message.objects.filter(pk=reply.pk).update(status="failed")
            assert not leases.reply_still_leased(reply)  # settled meanwhile (the 16-minute backstop)
    assert leases.leases_alive([reply.pk]) == set()
    with lease_held_elsewhere(reply.pk):
        assert leases.leases_alive([reply.pk, reply.pk + 1]) == {reply.pk}
        with leases.reply_lease(reply.pk) as held:
            assert not held


def test_sweeps_running_at_once_count_one_recovery(workspace, make_agent, django_capture_on_commit_callbacks):
    """After an outage the broker hands out a backlog of sweeps together: the second one, which read
    the same stale rows before the first committed, must neither queue the reply again nor count a
    second recovery (two would fail it at the next sweep: seen with the prefork pool in
    tests/faults/test_reply_recovery.py)."""
    _message, reply = _interrupted(workspace, make_agent())
    stale_before = timezone.now() - timedelta(seconds=settings.REPLY_RECOVERY_SECONDS)
    with (
        mock.patch("agent_platform.celery.app.send_task") as send_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = _abandoned_reply_regenerate(workspace.pk, reply.pk, older_than=stale_before)
        second = _abandoned_reply_regenerate(workspace.pk, reply.pk, older_than=stale_before)
    assert (first, second, send_task.call_count) == ("regenerated", None, 1)
    reply.refresh_from_db()
    assert reply.metadata["recoveries"] == 1

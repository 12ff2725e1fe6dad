"""The stored deliveries are the queue: a new one wakes the drain once (a Redis flag, not a Celery
message per webhook), concurrent drains claim each row once, a claim whose worker died is taken
again, and a delivery acknowledged while Redis is down is still processed by the next drain."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation
from integrations.kommo import services
from integrations.kommo.models import KommoWebhookDelivery
from integrations.kommo.services import inbox
from integrations.tasks import kommo_deliveries_resume_task
from tests.integrations.kommo.conftest import eventually
from tests.integrations.kommo.factories import KommoIntegrationFactory
from tests.integrations.kommo.test_entry_points import post

MESSAGE = (
    "message[add][0][id]={id}&message[add][0][chat_id]=chat-{id}&message[add][0][text]=Hola"
    "&message[add][0][type]=incoming&message[add][0][entity_type]=contact&message[add][0][entity_id]=7"
    "&message[add][0][origin]=whatsapp&account[id]={account}&account[subdomain]=acme"
)


def send(integration, message_id: str):
    return post(
        f"/api/webhooks/kommo/{integration.webhook_secret}/message",
        MESSAGE.format(id=message_id, account=integration.account_id),
    )


def stored(integration, **filters):
    with workspace_scope(integration.workspace_id):
        return list(KommoWebhookDelivery.objects.filter(**filters).order_by("pk"))


@pytest.mark.django_db
def test_new_deliveries_wake_one_drain_until_it_starts(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:  # the drain tasks sent (not run here)
        for _ in range(3):
            inbox.drain_wake()
    assert len(sent) == 1  # one drain task for three new deliveries
    inbox.drain_started()  # the drain clears the flag before it claims: the next one wakes again
    with django_capture_on_commit_callbacks() as sent:
        inbox.drain_wake()
    assert len(sent) == 1


# The view stores from a pool thread, on a connection of its own: the rows must be committed, and the
# session's worker (which takes the drain tasks) must be idle before the flush.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
class WorkerTests:
    def test_webhooks_are_processed_by_the_drain_the_first_one_woke(self, workspace, broker):
        integration = KommoIntegrationFactory(workspace=workspace)
        assert [send(integration, f"m-{n}").status_code for n in range(3)] == [200] * 3
        send(integration, "m-0")  # a redelivery: nothing new
        processed = KommoWebhookDelivery.Status.PROCESSED
        eventually(lambda: [d.status for d in stored(integration)] == [processed] * 3, what="the drain")
        with workspace_scope(workspace.pk):
            assert Conversation.objects.count() == 3

    def test_acknowledged_while_redis_is_down_then_processed_by_the_next_drain(
        self, workspace, other_workspace, broker, settings
    ):
        ours = KommoIntegrationFactory(workspace=workspace)
        theirs = KommoIntegrationFactory(workspace=other_workspace, account_id=ours.account_id + 1)
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there: every Redis call fails
        answers = [send(ours, "lost-wake"), send(theirs, "lost-wake-2")]
        assert [answer.status_code for answer in answers] == [200, 200]
        assert {d.status for d in stored(ours) + stored(theirs)} == {KommoWebhookDelivery.Status.RECEIVED}
        assert services.deliveries_drain() == 2  # what beat runs every few seconds
        for integration in (ours, theirs):
            (delivery,) = stored(integration)
            assert (delivery.status, delivery.error) == (KommoWebhookDelivery.Status.PROCESSED, "")
            with workspace_scope(integration.workspace_id):
                assert Conversation.objects.count() == 1  # each message in its own workspace
        assert services.deliveries_drain() == 0  # processed once


@pytest.mark.django_db
def test_a_claim_whose_worker_died_is_taken_again(workspace):
    integration = KommoIntegrationFactory(workspace=workspace)
    with workspace_scope(workspace.pk):
        fresh = KommoWebhookDelivery.objects.create(digest="a" * 64, body="")
        stale = KommoWebhookDelivery.objects.create(digest="b" * 64, body="", claimed_at=timezone.now())
        KommoWebhookDelivery.objects.create(digest="c" * 64, body="", claimed_at=timezone.now())  # held
        KommoWebhookDelivery.objects.create(digest="d" * 64, body="", status="processed")
        old = KommoWebhookDelivery.objects.create(digest="e" * 64, body="")
    rows = KommoWebhookDelivery.all_workspaces
    rows.filter(pk=stale.pk).update(claimed_at=timezone.now() - inbox.CLAIM_TIMEOUT - timedelta(seconds=1))
    rows.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=2))  # left for inspection
    assert services.deliveries_claim() == [(integration.workspace_id, fresh.pk), (integration.workspace_id, stale.pk)]
    assert services.deliveries_claim() == []  # claimed now (and `held` still is): no second taker


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_drains_claim_each_row_once(workspace, other_workspace):
    ids = []
    for owner in (workspace, other_workspace):
        with workspace_scope(owner.pk):
            ids += [KommoWebhookDelivery.objects.create(digest=f"{n:064x}", body="").pk for n in range(40)]
    start = threading.Barrier(2)
    taken: list[list[int]] = [[], []]

    def drain(slot: int) -> None:
        try:
            start.wait()
            while claimed := services.deliveries_claim(limit=3):
                taken[slot] += [delivery_id for _, delivery_id in claimed]
        finally:
            connection.close()

    threads = [threading.Thread(target=drain, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    everything = taken[0] + taken[1]
    assert sorted(everything) == sorted(ids)  # every row, none twice


@pytest.mark.django_db
def test_the_former_minute_sweep_name_still_drains(workspace):
    # Beat's database scheduler keeps a stored schedule row of the old name after an upgrade.
    with workspace_scope(workspace.pk):
        KommoWebhookDelivery.objects.create(digest="f" * 64, body="account[id]=1")
    assert kommo_deliveries_resume_task() == 1
    with workspace_scope(workspace.pk):
        assert KommoWebhookDelivery.objects.get().claimed_at is not None

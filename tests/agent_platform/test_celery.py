import uuid

import pytest
import redis
from django.conf import settings

from agent_platform.celery import QUEUES, app, ping
from agent_platform.tenancy import workspace_scope
from tests.sample.models import Note
from tests.sample.tasks import note_rename_task


def test_every_queue_is_declared_and_reliability_defaults_are_on():
    conf = app.conf
    assert {queue.name for queue in conf.task_queues} == set(QUEUES)
    assert {"messages", "ai", "chains", "indexing", "notifications"} <= set(QUEUES)
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_a_task_runs_on_a_real_worker_through_redis(celery_worker_process):
    assert ping.delay("hello").get(timeout=30) == "hello"


@pytest.mark.django_db(transaction=True)
def test_a_workspace_task_runs_in_its_scope_on_the_worker(celery_worker_process, workspace, other_workspace):
    with workspace_scope(workspace.pk):
        mine = Note.objects.create(title="before")
    with workspace_scope(other_workspace.pk):
        theirs = Note.objects.create(title="theirs")
    assert note_rename_task.delay(workspace.pk, mine.pk, "after").get(timeout=30) == 1
    assert note_rename_task.delay(workspace.pk, theirs.pk, "stolen").get(timeout=30) == 0
    titles = dict(Note.objects.unscoped_across_workspaces().values_list("pk", "title"))
    assert titles == {mine.pk: "after", theirs.pk: "theirs"}


def test_a_task_that_keeps_killing_its_worker_is_dropped(celery_worker_process):
    """The redelivery guard: a task id already delivered CELERY_MAX_DELIVERIES times without
    finishing (its worker died each time) is acknowledged without running again."""
    task_id = str(uuid.uuid4())
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.set(f"ap:celery:deliveries:{task_id}", settings.CELERY_MAX_DELIVERIES)
    assert ping.apply_async(args=["ran"], task_id=task_id).get(timeout=30) is None
    assert ping.apply_async(args=["ran"]).get(timeout=30) == "ran"

"""The one quota service: atomic consumption (20 concurrent consumers against the real PostgreSQL),
give-back, overage, the 80 % / 100 % notices once per period, and the count limits (agents, seats)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from billing.exceptions import QuotaLimitReached
from billing.models import QuotaCounter
from billing.selectors import plan_current, plan_usage
from billing.services import quota_consume, quota_release
from tests.billing.factories import plan_make, put_on_plan

pytestmark = pytest.mark.django_db


def counter(workspace) -> int:
    with workspace_scope(workspace.pk):
        return QuotaCounter.objects.get(metric="ai_replies_per_month").used


def kinds(workspace) -> list[str]:
    with workspace_scope(workspace.pk):
        return sorted(Notification.objects.values_list("kind", flat=True))


@pytest.mark.django_db(transaction=True)
def test_20_concurrent_consumers_never_exceed_the_limit(workspace):
    put_on_plan(workspace, plan_make(replies=25))
    start, taken, refused = threading.Barrier(20), [], []

    def consume():
        try:
            start.wait()
            for _ in range(3):  # 60 attempts at 25 units
                try:
                    taken.append(quota_consume(workspace=workspace))
                except QuotaLimitReached as exc:
                    refused.append(exc.code)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=consume) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 25 and len(refused) == 35
    assert sorted(taken) == list(range(1, 26))  # every unit handed out once, none twice
    assert set(refused) == {"quota_exceeded"}
    assert counter(workspace) == 25
    # The 80 % and 100 % notices went out once each (to the owner), whatever the interleaving.
    assert kinds(workspace) == ["quota_exhausted", "quota_warning"]


def test_the_limit_refuses_with_a_stable_code_and_a_give_back_frees_a_unit(workspace):
    put_on_plan(workspace, plan_make(replies=2))
    assert quota_consume(workspace=workspace) == 1
    assert quota_consume(workspace=workspace) == 2
    with pytest.raises(QuotaLimitReached) as caught:
        quota_consume(workspace=workspace)
    assert caught.value.code == "quota_exceeded" and caught.value.status == 402
    assert caught.value.extra == {"metric": "ai_replies_per_month", "limit": 2, "plan": "tiny"}
    quota_release(workspace=workspace)
    assert quota_consume(workspace=workspace) == 2


def test_a_plan_that_allows_overage_counts_past_the_limit(workspace):
    put_on_plan(workspace, plan_make("payg", replies=2, overage="allow"))
    assert [quota_consume(workspace=workspace) for _ in range(4)] == [1, 2, 3, 4]
    assert kinds(workspace) == ["quota_exhausted"]  # 1/2 is under 80 %, 2/2 is the limit


def test_80_and_100_percent_notify_once_per_period(workspace, admin, member):
    put_on_plan(workspace, plan_make(replies=5))
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        for _ in range(3):
            quota_consume(workspace=workspace)
        assert kinds(workspace) == []  # 60 %
        quota_consume(workspace=workspace)  # 80 %
        assert kinds(workspace) == ["quota_warning"] * 2  # owner and admin, not the member
        quota_consume(workspace=workspace)  # 100 %
        with pytest.raises(QuotaLimitReached):
            quota_consume(workspace=workspace)
        assert kinds(workspace) == ["quota_exhausted"] * 2 + ["quota_warning"] * 2
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        assert quota_consume(workspace=workspace) == 1  # a new period starts from zero
        for _ in range(3):
            quota_consume(workspace=workspace)
        assert kinds(workspace).count("quota_warning") == 4  # the new period's notice
        assert plan_usage(workspace=workspace)["period_start"] == dt.date(2026, 12, 1)


def test_a_workspace_without_a_plan_is_on_free(workspace, settings):
    settings.BILLING_DEFAULT_PLAN = ""
    assert plan_current(workspace=workspace).code == "free"
    put_on_plan(workspace, "pro")
    assert plan_current(workspace=workspace).code == "pro"

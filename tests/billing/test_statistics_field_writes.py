"""The dashboard's field-writes figure (the one the statistics dataset leaves at 0) against a direct
count: the update rules write to the local Kommo through the real processor."""

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import FieldWrite
from tests.automations.rules_setup import rules_setup
from tests.conftest import client_for
from tests.integrations.kommo.conftest import account, connected, kommo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_field_writes_equal_a_direct_count(
    kommo,  # noqa: F811
    account,  # noqa: F811
    connected,  # noqa: F811
    workspace,
    owner,
    member,
):
    setup = rules_setup(kommo, account, connected, workspace, owner)
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date")
    setup.customer_says("I found you on Instagram. Please call me back on 15.01.2027")
    with workspace_scope(workspace.pk):
        written = FieldWrite.objects.filter(status=FieldWrite.Status.WRITTEN).count()
    assert written == 2  # a figure that stayed 0 would prove nothing
    client = client_for(member)
    figures = client.get("/api/statistics/dashboard?period=7d").json()
    assert figures["current"]["field_writes"] == written
    assert figures["series"][-1]["field_writes"] == written
    agent = client.get(f"/api/statistics/agents/{setup.agent.pk}?period=7d").json()
    assert agent["current"]["field_writes"] == written

from decimal import Decimal

import pytest

from accounts.models import Notification
from agent_platform.tenancy import workspace_scope
from billing.services import budget_set
from integrations.ai.exceptions import BudgetExceeded
from integrations.ai.services import generate
from integrations.ai.types import GenerationRequest

pytestmark = pytest.mark.django_db


def reply(workspace):
    request = GenerationRequest(messages=[{"role": "user", "content": "Hi"}], provider="openai", model="gpt-4o")
    return generate(workspace=workspace, request=request, purpose="reply")


def kinds(workspace):
    with workspace_scope(workspace.pk):
        return sorted(Notification.objects.values_list("kind", flat=True))


def test_80_percent_notifies_once_and_100_percent_stops_generation(fake_ai, workspace, admin, member):
    # gpt-4o: $2.50 per million input tokens; 100,000 input tokens cost $0.25.
    budget_set(workspace=workspace, monthly_limit=Decimal("0.60"))
    fake_ai.usage = (100_000, 0, 0)
    reply(workspace)  # $0.25
    assert kinds(workspace) == []
    reply(workspace)  # $0.50: 83 %
    assert kinds(workspace) == ["ai_budget_warning", "ai_budget_warning"]  # owner and admin, not the member
    reply(workspace)  # $0.75: over
    assert kinds(workspace).count("ai_budget_exhausted") == 2

    with pytest.raises(BudgetExceeded) as caught:
        reply(workspace)
    assert caught.value.code == "ai_budget_exceeded"
    assert len(fake_ai.calls("openai")) == 3  # the provider was not called
    assert kinds(workspace).count("ai_budget_warning") == 2  # one per month only


def test_a_token_budget_configured_to_continue_only_notifies(fake_ai, workspace):
    budget_set(workspace=workspace, monthly_limit=Decimal(1000), limit_kind="tokens", hard_stop=False)
    fake_ai.usage = (900, 300, 0)
    reply(workspace)
    reply(workspace)  # would be stopped with hard_stop
    assert "ai_budget_exhausted" in kinds(workspace)

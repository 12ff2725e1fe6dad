"""Chains and triggers as rows of their workspace (their API builds them the same way)."""

from __future__ import annotations

import factory

from automations.models import Chain, ChainStep, Trigger
from tests.accounts.factories import WorkspaceFactory
from tests.conversations.factories import _WorkspaceRowFactory


class ChainFactory(_WorkspaceRowFactory):
    class Meta:
        model = Chain

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Follow-up {n}")
    stop_on = factory.LazyFunction(lambda: [Chain.StopOn.CUSTOMER_REPLIED, Chain.StopOn.HUMAN_TOOK_OVER])


class ChainStepFactory(_WorkspaceRowFactory):
    class Meta:
        model = ChainStep

    chain = factory.SubFactory(ChainFactory)
    workspace = factory.LazyAttribute(lambda step: step.chain.workspace)
    order = factory.Sequence(lambda n: n)
    delay_minutes = 60
    template = "Hi {customer_name}, still interested?"


class TriggerFactory(_WorkspaceRowFactory):
    class Meta:
        model = Trigger

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Trigger {n}")
    condition = factory.LazyFunction(lambda: {"fact": "message.text", "op": "contains", "value": "discount"})

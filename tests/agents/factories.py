"""Agents, made by `agent_create` inside their workspace's scope, as the API makes them."""

from __future__ import annotations

import factory

from agent_platform.tenancy import workspace_scope
from agents.models import Agent
from agents.services import agent_config_replace, agent_create
from tests.accounts.factories import WorkspaceFactory


class AgentFactory(factory.Factory):
    """An agent with the service's defaults for what is not given. `channels=[…]` also replaces its
    channels (`agent_config_replace`); `answering=True` makes an active agent on the offline model
    that answers on the API channel (and, as every agent, in the playground)."""

    class Meta:
        model = Agent

    class Params:
        answering = factory.Trait(
            model_provider="offline",
            model_id="offline-extractive",
            is_active=True,
            instructions="Answer from the knowledge base.",
            channels=["api"],
        )

    workspace = factory.SubFactory(WorkspaceFactory)
    actor = None
    channels = None
    name = factory.Sequence(lambda n: f"Agent {n}")

    @classmethod
    def _create(cls, model_class, *args, workspace, actor, channels, **data):
        with workspace_scope(workspace.pk):
            agent = agent_create(workspace=workspace, actor=actor, data=data)
            if channels is not None:
                agent_config_replace(agent=agent, actor=actor, section="channels", items=channels)
                agent.refresh_from_db()
        return agent

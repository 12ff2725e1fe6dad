"""Demo data: one agent that answers in the playground from the knowledge base, offline."""

from accounts.models import User, Workspace
from agents import services
from agents.models import Agent
from integrations.channels import Channel

DEMO_AGENT = "Demo Sales Assistant"


def seed(*, workspace: Workspace, user: User) -> None:
    if Agent.objects.filter(name=DEMO_AGENT).exists():
        return
    agent = services.agent_create(
        workspace=workspace,
        actor=user,
        data={
            "name": DEMO_AGENT,
            "description": "Answers customers from the knowledge base. Runs offline, with no API keys.",
            "instructions": "You are a friendly sales assistant. Answer only from the knowledge base; "
            "if it has no answer, say so and offer to connect a manager.",
            "model_provider": "offline",
            "model_id": "offline-extractive",
            "is_active": True,
        },
    )
    services.agent_config_replace(agent=agent, actor=user, section="channels", items=[Channel.API, Channel.WHATSAPP])

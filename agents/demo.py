"""Demo data: an agent that answers from the knowledge base, offline, and one whose replies a person
checks before they are sent (tried in the playground)."""

from accounts.models import User, Workspace
from agents import services
from agents.models import Agent
from billing.services import workspace_plan_ensure
from integrations.channels import Channel

DEMO_AGENT = "Demo Sales Assistant"
REVIEWED_AGENT = "Demo Support Desk"
INSTRUCTIONS = (
    "You are a friendly sales assistant. Answer only from the knowledge base; "
    "if it has no answer, say so and offer to connect a manager."
)


def seed(*, workspace: Workspace, user: User) -> None:
    workspace_plan_ensure(workspace=workspace, code="pro")  # room for the demo's agents and team
    if not Agent.objects.filter(name=DEMO_AGENT).exists():
        agent = services.agent_create(
            workspace=workspace,
            actor=user,
            data={
                "name": DEMO_AGENT,
                "description": "Answers customers from the knowledge base. Runs offline, with no API keys.",
                "instructions": INSTRUCTIONS,
                "model_provider": "offline",
                "model_id": "offline-extractive",
                "handoff_keywords": ["manager", "менеджер", "a person"],
                "is_active": True,
            },
        )
        services.agent_config_replace(
            agent=agent, actor=user, section="channels", items=[Channel.API, Channel.WHATSAPP]
        )
    if not Agent.objects.filter(name=REVIEWED_AGENT).exists():
        agent = services.agent_create(
            workspace=workspace,
            actor=user,
            data={
                "name": REVIEWED_AGENT,
                "description": "Its replies wait for a person's approval before they are sent.",
                "instructions": INSTRUCTIONS,
                "model_provider": "offline",
                "model_id": "offline-extractive",
                "approval_required": True,
                "is_active": True,
            },
        )

"""Demo data: a trigger that tags and answers discount questions (a structured test or the AI's
judgement), and a follow-up chain to start on a conversation from the inbox — both to try in the
playground and on the Triggers and Chains pages."""

from accounts.models import User, Workspace
from automations.models import Chain, Trigger
from automations.services import chain_create, trigger_create

DEMO_TRIGGER = "Discount question"
DEMO_CHAIN = "Quote follow-up"
WEEKDAYS_9_TO_18 = {day: [{"start": "09:00", "end": "18:00"}] for day in ("mon", "tue", "wed", "thu", "fri")}


def seed(*, workspace: Workspace, user: User) -> None:
    if not Trigger.objects.filter(name=DEMO_TRIGGER).exists():
        trigger_create(
            workspace=workspace,
            actor=user,
            data={
                "name": DEMO_TRIGGER,
                "description": "Tags the lead and tells the customer about the volume discount.",
                "condition": {
                    "any": [
                        {"fact": "message.text", "op": "contains", "value": "discount"},
                        {"ai": "the customer asks for a discount or a lower price", "min_confidence": 0.7},
                    ]
                },
                "run_limit": 1,
                "run_limit_scope": Trigger.LimitScope.CONVERSATION,
                "run_limit_period": Trigger.LimitPeriod.DAY,
                "actions": [
                    {"kind": "add_tag", "params": {"tags": ["discount"]}},
                    {
                        "kind": "send_message",
                        "params": {"text": "Good news, {customer_name}: orders of two or more items get 10% off."},
                    },
                ],
            },
        )
    if not Chain.objects.filter(name=DEMO_CHAIN).exists():
        chain_create(
            workspace=workspace,
            actor=user,
            data={
                "name": DEMO_CHAIN,
                "description": "Two nudges after a quote, in working hours; stops when the customer answers.",
                "stop_on": [Chain.StopOn.CUSTOMER_REPLIED, Chain.StopOn.HUMAN_TOOK_OVER],
                "working_hours": WEEKDAYS_9_TO_18,
                "steps": [
                    {"delay_minutes": 60, "kind": "template", "template": "Hi {customer_name}, did the quote help?"},
                    {
                        "delay_minutes": 1440,
                        "kind": "ai",
                        "ai_instruction": "Check in once more, friendly and short; offer a call with a manager.",
                    },
                ],
            },
        )

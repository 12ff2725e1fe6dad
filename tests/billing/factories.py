"""Plans for the quota tests: a small one the tests fill quickly, and the workspace's plan set as the
admin (later Stripe) sets it."""

from billing.models import Plan
from billing.services import workspace_plan_set


def plan_make(code="tiny", *, replies=10, agents=2, seats=3, overage="block", **fields) -> Plan:
    plan, _ = Plan.objects.update_or_create(
        code=code,
        defaults={
            "name": code.title(),
            "ai_replies_per_month": replies,
            "agents": agents,
            "seats": seats,
            "kb_storage_mb": fields.pop("kb_storage_mb", 10),
            "channels": fields.pop("channels", 1),
            "overage_policy": overage,
            **fields,
        },
    )
    return plan


def put_on_plan(workspace, plan_or_code) -> Plan:
    plan = plan_or_code if isinstance(plan_or_code, Plan) else Plan.objects.get(code=plan_or_code)
    workspace_plan_set(workspace=workspace, plan=plan)
    return plan

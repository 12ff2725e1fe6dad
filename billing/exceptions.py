from agent_platform.errors import QuotaExceeded


class BudgetExceeded(QuotaExceeded):
    code, title = "ai_budget_exceeded", "The workspace's monthly AI budget is used up"


class QuotaLimitReached(QuotaExceeded):
    """A plan limit is reached (code `quota_exceeded`, the limit's name in `metric`)."""

    code, title = "quota_exceeded", "The plan's limit is reached"

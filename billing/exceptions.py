from agent_platform.errors import QuotaExceeded


class BudgetExceeded(QuotaExceeded):
    code, title = "ai_budget_exceeded", "The workspace's monthly AI budget is used up"

from agent_platform.errors import Conflict, InvalidInput, QuotaExceeded, ServiceUnavailable, UpstreamFailed


class BudgetExceeded(QuotaExceeded):
    code, title = "ai_budget_exceeded", "The workspace's monthly AI budget is used up"


class QuotaLimitReached(QuotaExceeded):
    """A plan limit is reached (code `quota_exceeded`, the limit's name in `metric`)."""

    code, title = "quota_exceeded", "The plan's limit is reached"


class BillingNotConfigured(ServiceUnavailable):
    code, title = "billing_not_configured", "Payments are not configured (no Stripe secret key)"


class StripeFailed(UpstreamFailed):
    code, title = "stripe_failed", "Stripe did not accept the request"


class PlanNotPurchasable(InvalidInput):
    code, title = "plan_not_purchasable", "This plan cannot be bought (free, hidden, or not synced to Stripe)"


class AlreadySubscribed(Conflict):
    code, title = "already_subscribed", "The workspace already has a subscription: change its plan instead"


class NoSubscription(Conflict):
    code, title = "no_subscription", "The workspace has no active subscription"


class RepliesPaused(QuotaLimitReached):
    """The payment failed and the grace period ended: AI replies are paused until an invoice is paid."""

    code, title = "billing_past_due", "AI replies are paused: the subscription's payment failed"

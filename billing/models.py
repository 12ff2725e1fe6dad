from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models

from agent_platform.tenancy import WorkspaceOwned
from billing.types import UsagePurpose, UsageStatus


class UsageEvent(WorkspaceOwned):
    """One AI call, successful or not: the ledger the daily aggregates and budgets come from."""

    # Plain ids for now: the agents and conversations apps turn them into foreign keys.
    agent_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    conversation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=16, choices=UsagePurpose.choices)
    provider = models.CharField(max_length=32)
    model_id = models.CharField(max_length=200)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cached_tokens = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=6, default=Decimal(0))
    latency_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=UsageStatus.choices)
    error_code = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("workspace", "created_at"), name="usageevent_ws_created")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.provider}:{self.model_id} {self.status}"

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class UsageDaily(WorkspaceOwned):
    """Table 23 (usage_statistics): calls, tokens and cost per workspace, day, agent and model,
    maintained incrementally by `billing.services.usage_record` (one upsert per call)."""

    date = models.DateField()
    agent_id = models.BigIntegerField(null=True, blank=True)
    provider = models.CharField(max_length=32)
    model_id = models.CharField(max_length=200)
    calls = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    cached_tokens = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=16, decimal_places=6, default=Decimal(0))

    class Meta:
        db_table = "usage_statistics"
        ordering = ("-date", "provider", "model_id")
        constraints = [
            # NULLS NOT DISTINCT: the workspace-level row (no agent) is unique too, so the upsert
            # can target it (PostgreSQL ≥ 15).
            models.UniqueConstraint(
                fields=("workspace", "date", "agent_id", "provider", "model_id"),
                name="usagedaily_unique_day_agent_model",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=("workspace", "date"), name="usagedaily_ws_date")]
        verbose_name_plural = "usage daily"

    def __str__(self) -> str:
        return f"{self.date} {self.provider}:{self.model_id} agent={self.agent_id}"


class BudgetLimitKind(models.TextChoices):
    MONEY = "money", "Money (USD)"
    TOKENS = "tokens", "Tokens"


class AIBudget(WorkspaceOwned):
    """A workspace's monthly AI budget: 80 % notifies, 100 % stops generation unless `hard_stop`
    is off (then it only notifies)."""

    limit_kind = models.CharField(max_length=8, choices=BudgetLimitKind.choices, default=BudgetLimitKind.MONEY)
    monthly_limit = models.DecimalField(max_digits=16, decimal_places=6)
    hard_stop = models.BooleanField(default=True)
    # The first day of the month whose 80 % / 100 % notification went out (one each per month).
    warned_month = models.DateField(null=True, blank=True)
    exhausted_month = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("workspace",), name="aibudget_one_per_workspace")]

    def __str__(self) -> str:
        return f"{self.monthly_limit} {self.limit_kind}/month"


class ActivityDaily(WorkspaceOwned):
    """What happened per workspace, workspace-local day and agent (None: no agent): the counters the
    dashboard reads, kept up to date by `billing.services.activity_record` (one upsert per event),
    so no request ever scans messages."""

    date = models.DateField(help_text="The day in the workspace's time zone")
    # A plain id like UsageDaily's: billing sits below agents.
    agent_id = models.BigIntegerField(null=True, blank=True)
    conversations_started = models.PositiveIntegerField(default=0, db_default=0)
    ai_replies = models.PositiveIntegerField(default=0, db_default=0)
    approvals_approved = models.PositiveIntegerField(default=0, db_default=0)
    approvals_rejected = models.PositiveIntegerField(default=0, db_default=0)
    handoffs = models.PositiveIntegerField(default=0, db_default=0)
    first_response_count = models.PositiveIntegerField(default=0, db_default=0)
    first_response_seconds_sum = models.FloatField(default=0, db_default=0)
    # Counts per bucket of billing.statistics.FIRST_RESPONSE_EDGES (1-based in SQL; may be shorter
    # than the edges: missing buckets are 0), for the median and p90 over any range of days.
    first_response_histogram = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    trigger_fires = models.PositiveIntegerField(default=0, db_default=0)
    chain_runs_started = models.PositiveIntegerField(default=0, db_default=0)
    chain_runs_finished = models.PositiveIntegerField(default=0, db_default=0)
    chain_runs_converted = models.PositiveIntegerField(
        default=0, db_default=0, help_text="Completed, or the customer replied"
    )
    field_writes = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        db_table = "activity_statistics"
        ordering = ("-date",)
        constraints = [
            models.UniqueConstraint(
                fields=("workspace", "date", "agent_id"), name="activitydaily_unique_day_agent", nulls_distinct=False
            )
        ]
        verbose_name_plural = "activity daily"

    def __str__(self) -> str:
        return f"{self.date} agent={self.agent_id}"


class OveragePolicy(models.TextChoices):
    BLOCK = "block", "Block at the limit"
    ALLOW = "allow", "Allow and bill the overage"


class Plan(models.Model):
    """A subscription plan and its limits: data the admin edits (and, later, Stripe's products and prices
    mirror). A null limit means unlimited."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    monthly_price = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    currency = models.CharField(max_length=3, default="USD")
    ai_replies_per_month = models.PositiveIntegerField(null=True, blank=True)
    agents = models.PositiveIntegerField(null=True, blank=True)
    kb_storage_mb = models.PositiveIntegerField(null=True, blank=True)
    seats = models.PositiveIntegerField(null=True, blank=True)
    channels = models.PositiveIntegerField(null=True, blank=True, help_text="Channels / integrations")
    overage_policy = models.CharField(max_length=8, choices=OveragePolicy.choices, default=OveragePolicy.BLOCK)
    is_default = models.BooleanField(default=False, help_text="The plan a workspace without a subscription is on")
    is_public = models.BooleanField(default=True, help_text="Shown in the plan comparison")
    sort_order = models.PositiveSmallIntegerField(default=0)
    # Set by billing.services.plans_sync_to_stripe (a paid plan's Stripe product and its current price).
    stripe_product_id = models.CharField(max_length=64, blank=True, editable=False)
    stripe_price_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ("sort_order", "monthly_price", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("is_default",), condition=models.Q(is_default=True), name="plan_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkspacePlan(WorkspaceOwned):
    """The plan a workspace is on: one row per workspace (none means the default plan). Stripe's
    subscription webhooks are what will set it once checkout exists."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("workspace",), name="workspaceplan_one_per_workspace")]

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.plan_id}"


class QuotaCounter(WorkspaceOwned):
    """What a workspace consumed of a metered limit in one period (a calendar month), updated only by
    `billing.services.quota_consume`'s conditional UPDATE, and which threshold notices went out."""

    metric = models.CharField(max_length=32)
    period_start = models.DateField()
    used = models.PositiveIntegerField(default=0)
    warned = models.BooleanField(default=False)
    exhausted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("workspace", "metric", "period_start"), name="quotacounter_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period_start}: {self.used}"


class BillingAccount(WorkspaceOwned):
    """A workspace's side of Stripe: its customer, the subscription as last fetched from Stripe, and
    the payment-failure grace period (AI replies pause when it ends, resume when an invoice is paid)."""

    stripe_customer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    subscription_id = models.CharField(max_length=64, blank=True)
    subscription_status = models.CharField(max_length=32, blank=True)
    # When the workspace's payment first failed (None: in good standing), and when its grace ends.
    payment_failed_at = models.DateTimeField(null=True, blank=True)
    grace_until = models.DateTimeField(null=True, blank=True, db_index=True)
    replies_paused_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("workspace",), name="billingaccount_one_per_workspace")]

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.stripe_customer_id or '-'} {self.subscription_status or '-'}"

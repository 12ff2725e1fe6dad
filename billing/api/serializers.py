import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from billing.models import OveragePolicy
from billing.types import QuotaMetric

GROUPS = {"date": ("date",), "agent": ("agent_id",), "model": ("provider", "model_id")}


class UsageQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (default: 29 days before date_to).")
    date_to = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    group_by = serializers.CharField(
        required=False, default="date", help_text="Comma-separated: date, agent, model (e.g. 'date,model')."
    )
    agent_id = serializers.IntegerField(required=False)
    provider = serializers.CharField(required=False)
    model_id = serializers.CharField(required=False)

    def validate_group_by(self, value: str) -> tuple[str, ...]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - set(GROUPS))
        if unknown:
            raise serializers.ValidationError(f"Unknown grouping {', '.join(unknown)}; use date, agent, model.")
        return tuple(field for name in names for field in GROUPS[name])

    def validate(self, attrs):
        attrs.setdefault("date_to", timezone.localdate())
        attrs.setdefault("date_from", attrs["date_to"] - dt.timedelta(days=29))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": ["Must not be after date_to."]})
        if (attrs["date_to"] - attrs["date_from"]).days > 366:
            raise serializers.ValidationError({"date_from": ["At most 366 days at once."]})
        return attrs


class UsageRowOutput(serializers.Serializer):
    date = serializers.DateField(required=False)
    agent_id = serializers.IntegerField(required=False, allow_null=True)
    provider = serializers.CharField(required=False)
    model_id = serializers.CharField(required=False)
    calls = serializers.IntegerField()
    failures = serializers.IntegerField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cached_tokens = serializers.IntegerField()
    total_tokens = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=6)


class UsageOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = UsageRowOutput(many=True)
    totals = UsageRowOutput()


PERIODS = {"7d": 7, "30d": 30, "90d": 90}


class DashboardQuery(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=list(PERIODS), required=False, default="30d", help_text="The last 7, 30 or 90 days, today included."
    )
    date_from = serializers.DateField(required=False, help_text="First day (with date_to, instead of period).")
    date_to = serializers.DateField(required=False, help_text="Last day, inclusive.")

    def validate(self, attrs):
        if ("date_from" in attrs) != ("date_to" in attrs):
            missing = "date_to" if "date_from" in attrs else "date_from"
            raise serializers.ValidationError({missing: ["Give both date_from and date_to, or a period."]})
        if "date_from" not in attrs:
            # The workspace's today: its days are the statistics' days.
            attrs["date_to"] = self.context["today"]
            attrs["date_from"] = attrs["date_to"] - dt.timedelta(days=PERIODS[attrs["period"]] - 1)
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": ["Must not be after date_to."]})
        if (attrs["date_to"] - attrs["date_from"]).days >= 366:
            raise serializers.ValidationError({"date_from": ["At most 366 days at once."]})
        return {"date_from": attrs["date_from"], "date_to": attrs["date_to"]}


class DashboardFiguresOutput(serializers.Serializer):
    conversations = serializers.IntegerField(help_text="Conversations started by a customer's first message")
    ai_replies = serializers.IntegerField(help_text="AI replies sent (automated follow-ups not included)")
    approvals_approved = serializers.IntegerField()
    approvals_rejected = serializers.IntegerField()
    approval_rate = serializers.FloatField(allow_null=True, help_text="approved / (approved + rejected)")
    handoffs = serializers.IntegerField()
    handoff_rate = serializers.FloatField(allow_null=True, help_text="handoffs / conversations")
    first_responses = serializers.IntegerField(help_text="Conversations whose first reply was sent")
    first_response_mean_seconds = serializers.FloatField(allow_null=True)
    first_response_median_seconds = serializers.IntegerField(
        allow_null=True, help_text="Upper edge of the histogram bucket holding the median (1 s wide under 30 s)"
    )
    first_response_p90_seconds = serializers.IntegerField(allow_null=True)
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    total_tokens = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=6)
    trigger_fires = serializers.IntegerField()
    chain_runs_started = serializers.IntegerField()
    chain_runs_finished = serializers.IntegerField()
    chain_runs_converted = serializers.IntegerField(help_text="Finished runs that completed or the customer replied")
    chain_conversion_rate = serializers.FloatField(allow_null=True, help_text="converted / finished")
    field_writes = serializers.IntegerField()


class DashboardDayOutput(DashboardFiguresOutput):
    date = serializers.DateField()


class DashboardOutput(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    previous_from = serializers.DateField()
    previous_to = serializers.DateField()
    current = DashboardFiguresOutput()
    previous = DashboardFiguresOutput()
    series = DashboardDayOutput(many=True)


class PlanOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    monthly_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    ai_replies_per_month = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    agents = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    kb_storage_mb = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    seats = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    channels = serializers.IntegerField(allow_null=True, help_text="Channels / integrations; null: unlimited")
    overage_policy = serializers.ChoiceField(choices=OveragePolicy.choices)


class PlansOutput(serializers.Serializer):
    current = serializers.CharField(help_text="The code of the workspace's plan")
    plans = PlanOutput(many=True)


class LimitUsageOutput(serializers.Serializer):
    metric = serializers.ChoiceField(choices=QuotaMetric.choices)
    name = serializers.CharField()
    used = serializers.IntegerField(allow_null=True, help_text="null: not metered")
    limit = serializers.IntegerField(allow_null=True, help_text="null: unlimited")
    percent = serializers.FloatField(allow_null=True, help_text="used / limit × 100; null when either is null")


class PlanUsageOutput(serializers.Serializer):
    plan = PlanOutput()
    period_start = serializers.DateField()
    period_end = serializers.DateField(help_text="Last day of the period, inclusive")
    limits = LimitUsageOutput(many=True)


class SubscribeInput(serializers.Serializer):
    plan = serializers.SlugField(help_text="The code of a paid plan")


class CheckoutUrlOutput(serializers.Serializer):
    url = serializers.URLField(help_text="Where the browser goes next (Stripe Checkout or the customer portal)")


class ChangePlanInput(serializers.Serializer):
    plan = serializers.SlugField()
    preview = serializers.BooleanField(default=False, help_text="Only what the change would cost now")
    proration_date = serializers.IntegerField(
        required=False, min_value=0, help_text="Unix time from the preview, to apply exactly the previewed amount"
    )


class ChangePlanOutput(serializers.Serializer):
    plan = serializers.CharField()
    applied = serializers.BooleanField()
    amount_due = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="The prorated amount invoiced now (preview)"
    )
    currency = serializers.CharField()
    proration_date = serializers.IntegerField()


class SubscriptionOutput(serializers.Serializer):
    configured = serializers.BooleanField(help_text="false: no Stripe secret key, checkout is unavailable")
    plan = serializers.CharField(help_text="The workspace's plan code")
    subscription_id = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="Stripe's status: active, past_due, canceled…")
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField()
    cancel_at = serializers.DateTimeField(allow_null=True)
    payment_failed_at = serializers.DateTimeField(allow_null=True)
    grace_until = serializers.DateTimeField(allow_null=True, help_text="AI replies pause at this time if still unpaid")
    replies_paused = serializers.BooleanField()


class InvoiceOutput(serializers.Serializer):
    id = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount_due = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    created = serializers.DateTimeField()
    billing_reason = serializers.CharField()
    invoice_pdf = serializers.URLField(allow_null=True)
    hosted_invoice_url = serializers.URLField(allow_null=True)


class InvoicesOutput(serializers.Serializer):
    invoices = InvoiceOutput(many=True)

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

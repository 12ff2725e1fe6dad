import datetime as dt

from django.utils import timezone
from rest_framework import serializers

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

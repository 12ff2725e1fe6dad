"""The chains API's shapes: a chain with its ordered steps (each with its actions) in and out, a run
with its timeline out."""

from rest_framework import serializers

from agent_platform.api.fields import JSONValueField, ScopedPrimaryKeyRelatedField
from automations.models import ActionKind, Chain, ChainRun, ChainRunStep, ChainStep

MAX_DELAY_MINUTES = 60 * 24 * 90


class ChainStepActionIO(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    params = serializers.DictField(default=dict, help_text="The kind's parameters (checked when the chain is saved)")


class ChainStepInput(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="An existing step's id: its runs' history is kept")
    delay_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_DELAY_MINUTES, help_text="After the run's start (first step) or the previous step"
    )
    kind = serializers.ChoiceField(choices=ChainStep.Kind.choices, default=ChainStep.Kind.TEMPLATE)
    template = serializers.CharField(allow_blank=True, default="", max_length=4000)
    ai_instruction = serializers.CharField(allow_blank=True, default="", max_length=2000)
    actions = ChainStepActionIO(many=True, default=list)


class ChainInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)
    agent = ScopedPrimaryKeyRelatedField(
        model="agents.Agent", allow_null=True, default=None, help_text="null: every agent's conversations"
    )
    start_on = serializers.ChoiceField(choices=Chain.StartOn.choices, default=Chain.StartOn.MANUAL)
    start_pipeline_id = serializers.IntegerField(allow_null=True, default=None, min_value=1)
    start_stage_id = serializers.IntegerField(allow_null=True, default=None, min_value=1)
    stop_on = serializers.ListField(child=serializers.ChoiceField(choices=Chain.StopOn.choices), default=list)
    working_hours = JSONValueField(
        default=dict, help_text='{"mon": [{"start": "09:00", "end": "18:00"}], …} in the workspace\'s time zone'
    )
    holidays = serializers.ListField(child=serializers.DateField(), default=list, max_length=366)
    steps = ChainStepInput(many=True)

    def validate_stop_on(self, value):
        return list(dict.fromkeys(value))


class ChainUpdateInput(ChainInput):
    """Every field optional; `steps`, when given, replaces the steps as a whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ChainStepOutput(serializers.ModelSerializer):
    actions = ChainStepActionIO(many=True, read_only=True)

    class Meta:
        model = ChainStep
        fields = ["id", "order", "delay_minutes", "kind", "template", "ai_instruction", "actions"]


class ChainOutput(serializers.ModelSerializer):
    steps = ChainStepOutput(many=True, read_only=True)
    active_runs = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Chain
        fields = [
            "id",
            "name",
            "description",
            "is_active",
            "agent",
            "start_on",
            "start_pipeline_id",
            "start_stage_id",
            "stop_on",
            "working_hours",
            "holidays",
            "steps",
            "active_runs",
            "created_at",
            "updated_at",
        ]


class StartInput(serializers.Serializer):
    conversation = serializers.IntegerField(min_value=1)


class TimelineMessage(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField()


class TimelineStepOutput(serializers.ModelSerializer):
    """One step of a run: when its delay ended, when it was (or is) due inside working hours, what it sent."""

    order = serializers.IntegerField(source="step.order")
    kind = serializers.CharField(source="step.kind")
    message = TimelineMessage(allow_null=True, read_only=True)

    class Meta:
        model = ChainRunStep
        fields = [
            "id",
            "step",
            "order",
            "kind",
            "scheduled_for",
            "due_at",
            "status",
            "claimed_at",
            "finished_at",
            "message",
            "actions",
            "error",
        ]


class RunChainOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RunConversationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    customer_name = serializers.CharField()
    channel = serializers.CharField()


class ChainRunOutput(serializers.ModelSerializer):
    chain = RunChainOutput(read_only=True)
    conversation = RunConversationOutput(read_only=True)
    started_by_user = serializers.SerializerMethodField()
    timeline = TimelineStepOutput(source="steps", many=True, read_only=True)

    class Meta:
        model = ChainRun
        fields = [
            "id",
            "chain",
            "conversation",
            "status",
            "started_by",
            "started_by_user",
            "stop_reason",
            "started_at",
            "finished_at",
            "timeline",
        ]

    def get_started_by_user(self, run: ChainRun) -> str | None:
        user = run.started_by_user
        return (user.name or user.email) if user else None

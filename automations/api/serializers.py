from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agent_platform.api.fields import JSONValueField, ScopedPrimaryKeyRelatedField
from automations import selectors
from automations.models import ActionKind, FieldWrite, Trigger, TriggerAction, TriggerLog
from automations.services import silence_minutes, uses_ai


# The kind is checked by the trigger's save (its error keyed `actions[i].kind`, like every action
# error); the schema still shows the choices.
@extend_schema_field(serializers.ChoiceField(choices=ActionKind.choices))
class ActionKindField(serializers.CharField):
    pass


class TriggerActionItem(serializers.Serializer):
    kind = ActionKindField()
    params = serializers.DictField(default=dict, help_text="The kind's parameters (see the vocabulary)")


class TriggerInput(serializers.ModelSerializer):
    agent = ScopedPrimaryKeyRelatedField(
        model="agents.Agent", allow_null=True, required=False, help_text="null: every agent"
    )
    condition = JSONValueField(help_text="automations.conditions format: a group (all/any/not) or a test")
    actions = TriggerActionItem(many=True, required=False, help_text="In order; on PATCH they replace the list")

    class Meta:
        model = Trigger
        fields = [
            "name",
            "description",
            "is_active",
            "priority",
            "agent",
            "condition",
            "stop_ai_reply",
            "run_limit",
            "run_limit_scope",
            "run_limit_period",
            "actions",
        ]


class TriggerActionOutput(serializers.ModelSerializer):
    class Meta:
        model = TriggerAction
        fields = ["kind", "params"]


class TriggerOutput(serializers.ModelSerializer):
    actions = TriggerActionOutput(many=True, read_only=True)
    uses_ai = serializers.SerializerMethodField(help_text="The condition has a plain-language test")
    silence_minutes = serializers.SerializerMethodField(
        help_text="N when the condition tests customer.silent_minutes gt/gte N: checked N minutes after a message"
    )
    last_fired_at = serializers.DateTimeField(read_only=True, allow_null=True)
    fired_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Trigger
        fields = [
            "id",
            *TriggerInput.Meta.fields,
            "uses_ai",
            "silence_minutes",
            "last_fired_at",
            "fired_total",
            "created_at",
            "updated_at",
        ]

    def get_uses_ai(self, trigger: Trigger) -> bool:
        return uses_ai(trigger.condition)

    def get_silence_minutes(self, trigger: Trigger) -> int | None:
        return silence_minutes(trigger.condition)


class ActionResultOutput(serializers.Serializer):
    kind = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField(required=False)
    error = serializers.CharField(required=False)


class TestInTheVerdictOutput(serializers.Serializer):
    condition = serializers.CharField()
    holds = serializers.BooleanField()


class AIJudgementOutput(serializers.Serializer):
    condition = serializers.CharField()
    holds = serializers.BooleanField()
    confidence = serializers.FloatField()
    reason = serializers.CharField()


class VerdictOutput(serializers.Serializer):
    tests = TestInTheVerdictOutput(many=True)
    ai = AIJudgementOutput(many=True)


class TriggerLogOutput(serializers.ModelSerializer):
    verdict = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="Each action's result, in order (when it fired)")

    class Meta:
        model = TriggerLog
        fields = [
            "id",
            "created_at",
            "event",
            "outcome",
            "why",
            "conversation",
            "message",
            "lead_id",
            "verdict",
            "actions",
            "duration_ms",
        ]

    @extend_schema_field(VerdictOutput)
    def get_verdict(self, log: TriggerLog) -> dict:
        verdict = log.verdict or {}
        return {"tests": verdict.get("tests", []), "ai": verdict.get("ai", [])}

    @extend_schema_field(ActionResultOutput(many=True))
    def get_actions(self, log: TriggerLog) -> list:
        return log.actions or []


class TriggerTestInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000, allow_blank=True)
    conversation = ScopedPrimaryKeyRelatedField(
        model="conversations.Conversation", allow_null=True, required=False, default=None
    )


class ActionSummaryOutput(serializers.Serializer):
    kind = serializers.CharField()
    summary = serializers.CharField()


class TriggerTestOutput(serializers.Serializer):
    holds = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=["fired", "not_matched", "limited"])
    why = serializers.CharField()
    verdict = VerdictOutput()
    actions = ActionSummaryOutput(many=True, help_text="What would run (nothing was executed)")


class FactOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    operators = serializers.ListField(child=serializers.CharField())
    label = serializers.CharField()


class ActionParamOutput(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(
        help_text="text, template, integer, tags, roles, choice, pipeline_id, stage_id, field_id, value, "
        "chain_id, kommo_user_id, url, secret"
    )
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField(), required=False)


class ActionVocabularyOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    label = serializers.CharField()
    params = ActionParamOutput(many=True)


class TriggerVocabularyOutput(serializers.Serializer):
    facts = FactOutput(many=True)
    actions = ActionVocabularyOutput(many=True)
    limit_scopes = serializers.ListField(child=serializers.ChoiceField(choices=Trigger.LimitScope.choices))
    limit_periods = serializers.ListField(child=serializers.ChoiceField(choices=Trigger.LimitPeriod.choices))


class FieldWriteOutput(serializers.ModelSerializer):
    """A CRM field value the update rules wrote (or tried to). `old_value`/`new_value` are Kommo's
    `values` lists (null: empty); `old_text`/`new_text` the same as a person reads them."""

    rule_name = serializers.CharField(source="rule.name", default="", help_text="Empty when the rule was deleted")
    old_text = serializers.SerializerMethodField()
    new_text = serializers.SerializerMethodField()
    old_value = serializers.JSONField(allow_null=True)
    new_value = serializers.JSONField(allow_null=True)
    extracted = serializers.JSONField(allow_null=True, help_text="The value as the model said it")
    message = serializers.IntegerField(source="message_id", allow_null=True, help_text="The AI reply of that turn")
    undone_by = serializers.SerializerMethodField()
    can_undo = serializers.SerializerMethodField()

    class Meta:
        model = FieldWrite
        fields = [
            "id",
            "rule",
            "rule_name",
            "entity",
            "entity_id",
            "field_id",
            "field_code",
            "field_name",
            "field_type",
            "old_value",
            "new_value",
            "old_text",
            "new_text",
            "extracted",
            "confidence",
            "quote",
            "status",
            "error",
            "message",
            "created_at",
            "undone_at",
            "undone_by",
            "can_undo",
        ]

    def _options(self):
        if "field_options" not in self.context:
            self.context["field_options"] = selectors.field_options()
        return self.context["field_options"]

    @extend_schema_field(serializers.CharField())
    def get_old_text(self, write: FieldWrite) -> str:
        return selectors.values_text(write, write.old_value, self._options())

    @extend_schema_field(serializers.CharField())
    def get_new_text(self, write: FieldWrite) -> str:
        return selectors.values_text(write, write.new_value, self._options())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_undone_by(self, write: FieldWrite) -> str | None:
        user = write.undone_by
        return (user.name or user.email) if user else None

    @extend_schema_field(serializers.BooleanField(help_text="Written, and not replaced by a later write of the field"))
    def get_can_undo(self, write: FieldWrite) -> bool:
        return write.status == FieldWrite.Status.WRITTEN and write.pk not in self.context.get("superseded", ())

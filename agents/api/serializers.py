from collections.abc import Mapping
from dataclasses import asdict

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agent_platform.api.fields import ScopedPrimaryKeyRelatedField
from agents.models import AGENT_CHANNELS, Agent, AgentCrmField, CrmEntity, UpdateRule
from agents.selectors import AGENT_FIELDS
from agents.working_hours import working_hours_errors
from integrations.ai.selectors import ModelStatusReader


class AgentInput(serializers.ModelSerializer):
    class Meta:
        model = Agent
        fields = AGENT_FIELDS

    def validate_working_hours(self, value):
        if errors := working_hours_errors(value):
            raise serializers.ValidationError(errors)
        return value

    def validate(self, attrs):
        delay = attrs.get("response_delay_seconds", getattr(self.instance, "response_delay_seconds", 0))
        jitter = attrs.get("response_delay_jitter_seconds", getattr(self.instance, "response_delay_jitter_seconds", 0))
        if jitter > delay:
            raise serializers.ValidationError({"response_delay_jitter_seconds": ["Jitter cannot exceed the delay."]})
        return attrs


class ModelRefOutput(serializers.Serializer):
    provider = serializers.CharField()
    model_id = serializers.CharField()
    name = serializers.CharField(help_text="The registry's display name (the id when the registry lacks it)")


class ModelStatusOutput(serializers.Serializer):
    """What answers for a chosen chat model in this workspace; never a key, only where one comes from."""

    chosen = ModelRefOutput()
    provider_name = serializers.CharField()
    credentials = serializers.ChoiceField(choices=["workspace", "platform", "none", "not_needed"])
    ready = serializers.BooleanField(help_text="The chosen model answers")
    problem = serializers.ChoiceField(
        choices=["", "no_credentials", "unknown_model", "not_a_chat_model"], help_text="Why it does not"
    )
    answers_instead = ModelRefOutput(allow_null=True, help_text="The model that answers instead; null: replies fail")


class AgentOutput(serializers.ModelSerializer):
    channels = serializers.SerializerMethodField()
    model_status = serializers.SerializerMethodField(
        help_text="Whether the chosen model answers here, or which model answers instead (no key for its provider)"
    )

    class Meta:
        model = Agent
        fields = ["id", *AGENT_FIELDS, "channels", "model_status", "version", "created_at", "updated_at"]

    def get_channels(self, agent: Agent) -> list[str]:
        return [row.channel for row in agent.channels.all()]

    @extend_schema_field(ModelStatusOutput)
    def get_model_status(self, agent: Agent) -> dict:
        # One reader per response (the context is shared by a list's rows): credentials read once.
        reader = self.context.setdefault("model_status_reader", ModelStatusReader(workspace_id=agent.workspace_id))
        status = reader.status(agent.model_provider, agent.model_id)
        return ModelStatusOutput({**asdict(status), "ready": status.ready}).data


class ToggleInput(serializers.Serializer):
    is_active = serializers.BooleanField(required=False, help_text="Omit to flip the current state")


class DuplicateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)


class PipelineItem(serializers.Serializer):
    pipeline_id = serializers.IntegerField(min_value=1)
    stage_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


def pipelines_distinct(value: list[dict]) -> list[dict]:
    ids = [row["pipeline_id"] for row in value]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError("Each pipeline may appear once.")
    return value


class PipelinesInput(serializers.Serializer):
    pipelines = PipelineItem(many=True)

    def validate_pipelines(self, value):
        return pipelines_distinct(value)


class ChannelsInput(serializers.Serializer):
    channels = serializers.ListField(child=serializers.ChoiceField(choices=AGENT_CHANNELS))


class KnowledgeScopeInput(serializers.Serializer):
    category_ids = ScopedPrimaryKeyRelatedField(model="knowledge.Category", many=True)


class KnowledgeScopeOutput(serializers.Serializer):
    category_ids = serializers.ListField(child=serializers.IntegerField())


class CrmFieldItem(serializers.ModelSerializer):
    class Meta:
        model = AgentCrmField
        fields = ["entity", "field_id", "field_code", "field_name", "field_type", "can_read", "can_write"]
        extra_kwargs = {"field_id": {"required": False}, "field_code": {"required": False}}

    def validate(self, attrs):
        if not attrs.get("field_id") and not attrs.get("field_code"):
            raise serializers.ValidationError({"field_id": ["Give field_id or field_code."]})
        return attrs


class CrmAccessInput(serializers.Serializer):
    fields = CrmFieldItem(many=True)


# The configuration tables the agent's PATCH also takes: body field → (the section's own input, its field).
SECTION_INPUTS = {
    "channels": (ChannelsInput, "channels"),
    "pipelines": (PipelinesInput, "pipelines"),
    "category_ids": (KnowledgeScopeInput, "category_ids"),
    "crm_fields": (CrmAccessInput, "fields"),
}


class AgentUpdateInput(AgentInput):
    """The agent's fields and, optionally, whole configuration tables (the editor sends what changed),
    saved all or nothing as one version."""

    # The tables are checked in to_internal_value by each section's own input, whole (a PATCH is
    # partial, and DRF would let a nested row skip its required fields) and come out under
    # `sections`; the fields declared here document the body.

    channels = serializers.ListField(child=serializers.ChoiceField(choices=AGENT_CHANNELS), required=False)
    pipelines = PipelineItem(many=True, required=False)
    category_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    crm_fields = CrmFieldItem(many=True, required=False)
    base_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version the edit started from: a save that would overwrite what a newer version "
        "changed answers 409 agent_edit_conflict (fields, version, saved_by); other changes merge",
    )

    class Meta(AgentInput.Meta):
        fields = [*AGENT_FIELDS, *SECTION_INPUTS, "base_version"]

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # refused the usual way
        errors: dict = {}
        values: dict = {}
        try:
            values = super().to_internal_value({k: v for k, v in data.items() if k not in SECTION_INPUTS})
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        sections = {}
        for name, (input_class, field) in SECTION_INPUTS.items():
            if name not in data:
                continue
            section = input_class(data={field: data[name]}, context=self.context)
            if section.is_valid():
                sections[name] = section.validated_data[field]
            else:
                errors[name] = section.errors.get(field, section.errors)
        if errors:
            raise serializers.ValidationError(errors)
        return {**values, "sections": sections}


class ChannelStatusItem(serializers.Serializer):
    channel = serializers.ChoiceField(choices=AGENT_CHANNELS)
    via = serializers.ChoiceField(choices=["platform", "kommo"], help_text="Who carries the channel's messages")
    ready = serializers.BooleanField(help_text="Customers' messages on this channel reach the workspace's agents")
    problem = serializers.CharField(
        help_text="Why not: kommo_not_connected, kommo_needs_reconnect, kommo_no_webhooks, kommo_no_salesbot"
    )


class ChannelStatusOutput(serializers.Serializer):
    channels = ChannelStatusItem(many=True)


class UpdateRuleInput(serializers.ModelSerializer):
    entity = serializers.ChoiceField(choices=CrmEntity.choices, default=CrmEntity.LEAD)
    enum_options = serializers.ListField(child=serializers.DictField(), required=False)

    class Meta:
        model = UpdateRule
        fields = [
            "name",
            "instruction",
            "entity",
            "field_id",
            "field_code",
            "field_type",
            "enum_options",
            "overwrite",
            "is_active",
            "order",
        ]

    def validate(self, attrs):
        field_id = attrs.get("field_id", getattr(self.instance, "field_id", None))
        field_code = attrs.get("field_code", getattr(self.instance, "field_code", ""))
        if not field_id and not field_code:
            raise serializers.ValidationError({"field_id": ["Give field_id or field_code."]})
        field_type = attrs.get("field_type", getattr(self.instance, "field_type", "text"))
        options = attrs.get("enum_options", getattr(self.instance, "enum_options", []))
        if field_type in {"select", "multiselect", "radiobutton"} and not options:
            raise serializers.ValidationError({"enum_options": ["A choice field needs its enum options."]})
        return attrs


class UpdateRuleOutput(serializers.ModelSerializer):
    class Meta:
        model = UpdateRule
        fields = ["id", "agent", *UpdateRuleInput.Meta.fields, "created_at", "updated_at"]


class VersionOutput(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()
    created_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class VersionDetailOutput(VersionOutput):
    snapshot = serializers.JSONField()


class VersionDiffOutput(serializers.Serializer):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    changes = serializers.JSONField(help_text='{field: {"from", "to"}} and {table: {"added", "removed"}}')


class RestoreOutput(serializers.Serializer):
    agent = AgentOutput()
    missing_category_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Categories of that version that no longer exist"
    )

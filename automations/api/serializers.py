from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from automations import selectors
from automations.models import FieldWrite


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

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conversations.models import Conversation, Message, UnansweredCluster, UnansweredQuestion
from integrations.channels import Channel


class MessageOutput(serializers.ModelSerializer):
    author_user = serializers.EmailField(source="author_user.email", default=None, allow_null=True)
    author_name = serializers.SerializerMethodField(help_text="Who of the team wrote it: their name, else e-mail")
    reviewed_by = serializers.EmailField(source="reviewed_by.email", default=None, allow_null=True)
    trace = serializers.JSONField(help_text="Processing trace of an AI reply: steps with timings")
    metadata = serializers.JSONField(
        help_text='An AI reply: {"model": {provider, model_id, name, substituted_for?: {provider, model_id, name}, '
        'reason?: no_credentials | fallback}}; a playground message: {"test": {ignore_working_hours, skip_approval}}'
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "direction",
            "author",
            "author_user",
            "author_name",
            "text",
            "attachments",
            "external_id",
            "source_timestamp",
            "status",
            "status_reason",
            "failure_stage",
            "answers",
            "trace",
            "metadata",
            "original_text",
            "reviewed_by",
            "created_at",
            "sent_at",
        ]

    def get_author_name(self, message) -> str | None:
        user = message.author_user
        return (user.name or user.email) if user else None


class CrmFieldOutput(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField()


class CrmStageOutput(serializers.Serializer):
    pipeline = serializers.CharField()
    name = serializers.CharField()
    color = serializers.CharField(allow_null=True)


class CrmRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()
    known = serializers.BooleanField(help_text="False: the CRM has not told us about it yet")
    fields = CrmFieldOutput(many=True)
    phones = serializers.ListField(child=serializers.CharField())
    emails = serializers.ListField(child=serializers.CharField())
    price = serializers.IntegerField(required=False, allow_null=True)
    stage = CrmStageOutput(required=False, allow_null=True)


class CrmCardOutput(serializers.Serializer):
    account = serializers.CharField()
    lead = CrmRecordOutput(allow_null=True)
    contact = CrmRecordOutput(allow_null=True)


class ConversationOutput(serializers.ModelSerializer):
    needs_approval = serializers.BooleanField(read_only=True, default=False)
    agent_name = serializers.CharField(source="agent.name", default=None, allow_null=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "channel",
            "external_chat_id",
            "external_talk_id",
            "external_lead_id",
            "external_contact_id",
            "pipeline_id",
            "stage_id",
            "customer_name",
            "customer_handle",
            "status",
            "agent",
            "agent_name",
            "ai_paused_until",
            "ai_reply_count",
            "last_message_at",
            "unread_count",
            "needs_approval",
            "created_at",
            "updated_at",
        ]


class ConversationSummaryOutput(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Unread customer messages in every conversation")
    unread_conversations = serializers.IntegerField()
    needs_approval = serializers.IntegerField(help_text="Conversations holding a reply for approval")
    open = serializers.IntegerField()
    waiting_approval = serializers.IntegerField()
    human = serializers.IntegerField()
    closed = serializers.IntegerField()


class ConversationDetailOutput(ConversationOutput):
    messages = serializers.SerializerMethodField(help_text="The latest messages, oldest first")
    has_older_messages = serializers.SerializerMethodField(
        help_text="Older messages exist: page back through …/messages"
    )

    crm = serializers.SerializerMethodField(help_text="The lead and contact in Kommo (null without one)")

    class Meta(ConversationOutput.Meta):
        fields = [*ConversationOutput.Meta.fields, "messages", "has_older_messages", "crm"]

    def get_messages(self, conversation) -> list[dict]:
        return MessageOutput(self.context["recent_messages"], many=True).data

    def get_has_older_messages(self, conversation) -> bool:
        return self.context["has_older_messages"]

    @extend_schema_field(CrmCardOutput(allow_null=True))
    def get_crm(self, conversation) -> dict | None:
        return self.context.get("crm")


class HumanMessageInput(serializers.Serializer):
    text = serializers.CharField(max_length=10000)


class ApproveInput(serializers.Serializer):
    text = serializers.CharField(max_length=10000, required=False, help_text="An edited text to send instead")


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HandoffInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class IngestInput(serializers.Serializer):
    external_chat_id = serializers.CharField(max_length=200)
    external_message_id = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=10000, allow_blank=True)
    sent_at = serializers.DateTimeField(required=False)
    customer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    customer_handle = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IngestOutput(serializers.Serializer):
    message = MessageOutput()
    created = serializers.BooleanField(help_text="False when this message id was already delivered")


class PlaygroundInput(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    conversation_id = serializers.IntegerField(required=False, help_text="Continue this playground conversation")
    ignore_working_hours = serializers.BooleanField(
        default=False, help_text="A test: answer even outside the agent's working hours"
    )
    skip_approval = serializers.BooleanField(default=False, help_text="A test: send the reply without approval")


class PlaygroundOutput(serializers.Serializer):
    conversation = ConversationOutput()
    message = MessageOutput()
    reply = MessageOutput(allow_null=True, help_text="Null while the reply is delayed or waits for approval")


class ApiChannelInput(serializers.Serializer):
    webhook_url = serializers.URLField(allow_blank=True)


class ApiChannelOutput(serializers.Serializer):
    webhook_url = serializers.CharField(help_text="The URL replies are POSTed to; empty until it is set")
    signing_secret = serializers.CharField(help_text="Verify X-Signature with it; shown to admins only")


CHANNELS = Channel


UNANSWERED_PERIODS = {"7d": 7, "30d": 30, "90d": 90, "all": None}


class UnansweredQuery(serializers.Serializer):
    period = serializers.ChoiceField(
        choices=list(UNANSWERED_PERIODS), default="30d", help_text="Questions of the last 7, 30 or 90 days, or all"
    )
    status = serializers.ChoiceField(
        choices=[*UnansweredCluster.Status.values, "all"], default="open", help_text="Which clusters (default open)"
    )


class UnansweredExampleOutput(serializers.ModelSerializer):
    class Meta:
        model = UnansweredQuestion
        fields = ["id", "text", "conversation", "reasons", "created_at"]


class UnansweredClusterOutput(serializers.ModelSerializer):
    count = serializers.IntegerField(source="period_count", help_text="Questions in the period")
    total = serializers.IntegerField(source="question_count", help_text="Questions ever")
    reasons = serializers.SerializerMethodField(help_text="Questions in the period per reason")
    examples = serializers.SerializerMethodField(help_text="The latest few questions in the period")
    article_title = serializers.CharField(source="article.title", default=None, allow_null=True)

    class Meta:
        model = UnansweredCluster
        fields = [
            "id",
            "title",
            "count",
            "total",
            "reasons",
            "examples",
            "status",
            "article",
            "article_title",
            "first_seen_at",
            "last_seen_at",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_reasons(self, cluster: UnansweredCluster) -> dict[str, int]:
        counted = self.context.get("reasons", {}).get(cluster.pk, {})
        return {reason: counted.get(reason, 0) for reason in UnansweredQuestion.Reason.values}

    @extend_schema_field(UnansweredExampleOutput(many=True))
    def get_examples(self, cluster: UnansweredCluster) -> list[dict]:
        return UnansweredExampleOutput(self.context.get("examples", {}).get(cluster.pk, []), many=True).data


class UnansweredResolveInput(serializers.Serializer):
    article = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The article that now answers these questions"
    )

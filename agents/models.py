"""An AI agent and its configuration (roadmap tables 2–7), plus the versions of that configuration."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agent_platform.tenancy import WorkspaceOwned
from integrations.channels import Channel

# The channels an agent can be switched on for. Not the playground: it answers with whichever agent a
# member picks there, switched on or not (it is where an agent is tried before it goes live), so a
# per-agent playground switch could only stop the workspace's own people from testing it.
AGENT_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.PLAYGROUND]


class CrmEntity(models.TextChoices):
    LEAD = "lead", "Lead"
    CONTACT = "contact", "Contact"


class Agent(WorkspaceOwned):
    """An AI agent (table 2): who it is, which model it uses, and how it behaves."""

    class ApprovalTimeoutAction(models.TextChoices):
        SEND = "send", "Send the reply"
        HANDOFF = "handoff", "Hand the conversation to a human"

    class OutsideHoursAction(models.TextChoices):
        ANSWER = "answer", "Answer anyway"
        SILENT = "silent", "Stay silent until working hours"
        FALLBACK = "fallback", "Send the fallback message"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=False)
    instructions = models.TextField(blank=True, help_text="The system prompt")
    language = models.CharField(max_length=8, default="auto", help_text="auto, or a language code (en, ru, es, pt)")

    model_provider = models.CharField(max_length=32, default="offline")
    model_id = models.CharField(max_length=120, default="offline-extractive")
    fallback_model_provider = models.CharField(max_length=32, blank=True)
    fallback_model_id = models.CharField(max_length=120, blank=True)
    temperature = models.FloatField(default=0.3, validators=[MinValueValidator(0.0), MaxValueValidator(2.0)])
    max_tokens = models.PositiveIntegerField(default=800, validators=[MinValueValidator(16), MaxValueValidator(32000)])

    response_delay_seconds = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(3600)])
    response_delay_jitter_seconds = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(600)])

    approval_required = models.BooleanField(default=False, help_text="Check replies before they are sent")
    approval_timeout_minutes = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(10080)])
    approval_timeout_action = models.CharField(
        max_length=16, choices=ApprovalTimeoutAction.choices, default=ApprovalTimeoutAction.HANDOFF
    )

    # {"mon": [{"start": "09:00", "end": "18:00"}], …}; empty means always on.
    working_hours = models.JSONField(default=dict, blank=True)
    outside_hours_action = models.CharField(
        max_length=16, choices=OutsideHoursAction.choices, default=OutsideHoursAction.ANSWER
    )

    handoff_keywords = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    human_reply_pause_minutes = models.PositiveIntegerField(default=60, validators=[MaxValueValidator(43200)])
    max_ai_replies_per_conversation = models.PositiveIntegerField(null=True, blank=True)
    fallback_message = models.TextField(blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="agents_agent_name_unique_in_workspace"),
        ]
        indexes = [models.Index(fields=["workspace", "is_active"])]

    def __str__(self) -> str:
        return self.name


class AgentPipeline(WorkspaceOwned):
    """A Kommo pipeline the agent works in (table 3); no stage ids means every stage."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="pipelines")
    pipeline_id = models.PositiveBigIntegerField()
    stage_ids = ArrayField(models.PositiveBigIntegerField(), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "pipeline_id"], name="agents_pipeline_unique")]


class AgentChannel(WorkspaceOwned):
    """A messenger channel the agent answers (table 4)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(max_length=20, choices=AGENT_CHANNELS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "channel"], name="agents_channel_unique")]
        indexes = [models.Index(fields=["workspace", "channel"])]


class AgentKnowledgeCategory(WorkspaceOwned):
    """A knowledge-base category the agent may answer from (table 5)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="knowledge_scope")
    category = models.ForeignKey("knowledge.Category", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "category"], name="agents_knowledge_unique")]


class AgentCrmField(WorkspaceOwned):
    """A CRM field the agent may read and/or write (table 6)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="crm_fields")
    entity = models.CharField(max_length=10, choices=CrmEntity.choices)
    field_id = models.PositiveBigIntegerField(null=True, blank=True)
    field_code = models.CharField(max_length=64, blank=True)
    field_name = models.CharField(max_length=255, blank=True)
    field_type = models.CharField(max_length=32, blank=True)
    can_read = models.BooleanField(default=True)
    can_write = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(field_id__isnull=True, field_code=""), name="agents_crm_field_identified"
            ),
        ]


class UpdateRule(WorkspaceOwned):
    """What the agent extracts from a conversation into a CRM field (table 7)."""

    class Overwrite(models.TextChoices):
        ALWAYS = "always", "Always overwrite"
        IF_EMPTY = "if_empty", "Only if the field is empty"

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="update_rules")
    name = models.CharField(max_length=120)
    instruction = models.TextField(help_text="What to extract, in natural language")
    entity = models.CharField(max_length=10, choices=CrmEntity.choices, default=CrmEntity.LEAD)
    field_id = models.PositiveBigIntegerField(null=True, blank=True)
    field_code = models.CharField(max_length=64, blank=True)
    field_type = models.CharField(max_length=32, default="text")
    enum_options = models.JSONField(default=list, blank=True, help_text='[{"id": 4501, "value": "Hot"}, …]')
    overwrite = models.CharField(max_length=10, choices=Overwrite.choices, default=Overwrite.IF_EMPTY)
    is_active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(field_id__isnull=True, field_code=""), name="agents_rule_field_identified"
            ),
        ]


class AgentVersion(WorkspaceOwned):
    """A snapshot of an agent's whole configuration, taken at every saved change."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    reason = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["agent", "number"], name="agents_version_unique")]

    def __str__(self) -> str:
        return f"{self.agent_id} v{self.number}"

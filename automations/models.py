"""Automations (roadmap tables 8–12, SPEC §4.2–4.4): triggers with their ordered actions and the log of
every evaluation, follow-up chains with their steps, runs and due step rows, and the CRM field writes
of the update rules (with what undo restores).

Time-based work is a database row with a due time, claimed by beat with SELECT … FOR UPDATE SKIP
LOCKED (DESIGN §4): a chain's next step (`ChainRunStep`) and a trigger's "silent for N minutes" check
(`TriggerTimer`). Each row runs exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agent_platform.tenancy import WorkspaceOwned


class ActionKind(models.TextChoices):
    """What a trigger or a chain step can do (tables 9 and 12); each kind's `params` are validated by
    the engine when the trigger or chain is saved."""

    SEND_MESSAGE = "send_message", "Send a message"
    CHANGE_STAGE = "change_stage", "Change the lead's stage"
    SET_FIELD = "set_field", "Set a CRM field"
    ADD_TAG = "add_tag", "Add a tag to the lead"
    ADD_NOTE = "add_note", "Add a note to the lead"
    CREATE_TASK = "create_task", "Create a task in the CRM"
    NOTIFY = "notify", "Notify users"
    PAUSE_AGENT = "pause_agent", "Pause the AI"
    HANDOFF = "handoff", "Hand the conversation to a human"
    START_CHAIN = "start_chain", "Start a chain"
    STOP_CHAIN = "stop_chain", "Stop a chain"
    WEBHOOK = "webhook", "Call an outgoing webhook"


class DueStatus(models.TextChoices):
    """The life of a due row (a chain step, a silence check)."""

    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Trigger(WorkspaceOwned):
    """When a condition holds on a conversation, run ordered actions (table 8)."""

    class LimitScope(models.TextChoices):
        CONVERSATION = "conversation", "Per conversation"
        LEAD = "lead", "Per lead"

    class LimitPeriod(models.TextChoices):
        EVER = "ever", "Ever"
        DAY = "day", "Per day"
        WEEK = "week", "Per week"
        MONTH = "month", "Per month"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # Evaluated in ascending priority, then by id.
    priority = models.IntegerField(default=100)
    # None: every agent of the workspace.
    agent = models.ForeignKey("agents.Agent", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    condition = models.JSONField(default=dict, help_text="automations.conditions format")
    stop_ai_reply = models.BooleanField(default=False, help_text="When it fires, the AI does not answer this turn")
    run_limit = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    run_limit_scope = models.CharField(max_length=16, choices=LimitScope.choices, default=LimitScope.CONVERSATION)
    run_limit_period = models.CharField(max_length=8, choices=LimitPeriod.choices, default=LimitPeriod.EVER)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="automations_trigger_name_unique"),
        ]
        indexes = [models.Index(fields=["workspace", "is_active", "priority"])]

    def __str__(self) -> str:
        return self.name


class TriggerAction(WorkspaceOwned):
    """One action of a trigger, run in `order` (table 9)."""

    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]


class TriggerLog(WorkspaceOwned):
    """One evaluation of a trigger (fired or not, and why) and, when it fired, each action's result.
    A dry run (`POST /api/triggers/:id/test`) is logged too, marked as such, and never counts towards
    the run limit."""

    class Outcome(models.TextChoices):
        FIRED = "fired", "Fired"
        NOT_MATCHED = "not_matched", "Condition did not hold"
        LIMITED = "limited", "Run limit reached"
        FAILED = "failed", "Failed"
        TESTED = "tested", "Tested (dry run)"

    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="logs")
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_id = models.CharField(max_length=100, blank=True)
    event = models.CharField(max_length=20, default="message", help_text="message, silence or test")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    why = models.TextField(blank=True)
    # {"tests": [...], "ai": [{"condition", "holds", "confidence", "reason"}], "facts": {...}}
    verdict = models.JSONField(default=dict, blank=True)
    # [{"kind", "ok", "detail"|"error"}] in order
    actions = models.JSONField(default=list, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["trigger", "-created_at"]),
            # The run-limit count: fired runs of a trigger per conversation or lead since a time.
            models.Index(
                fields=["trigger", "conversation", "created_at"],
                condition=models.Q(outcome="fired"),
                name="automations_fired_by_conv",
            ),
            models.Index(
                fields=["trigger", "lead_id", "created_at"],
                condition=models.Q(outcome="fired"),
                name="automations_fired_by_lead",
            ),
        ]


class TriggerTimer(WorkspaceOwned):
    """A "customer silent for N minutes" check due at the customer's last message + N: beat claims it
    instead of scanning every conversation each tick. A new customer message moves it."""

    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="timers")
    conversation = models.ForeignKey("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DueStatus.choices, default=DueStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "conversation"],
                condition=models.Q(status="pending"),
                name="automations_one_pending_timer",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="pending"), name="automations_timer_due"),
        ]


class Chain(WorkspaceOwned):
    """A follow-up sequence (table 10): steps sent after delays, inside working hours, until a stop
    condition ends the run."""

    class StartOn(models.TextChoices):
        MANUAL = "manual", "Started by hand or by a trigger"
        AI_REPLY = "ai_reply", "After every AI reply"
        STAGE = "stage", "When the lead enters a stage"

    class StopOn(models.TextChoices):
        CUSTOMER_REPLIED = "customer_replied", "The customer replied"
        STAGE_CHANGED = "stage_changed", "The lead's stage changed"
        HUMAN_TOOK_OVER = "human_took_over", "A human took over"
        TRIGGER_FIRED = "trigger_fired", "A trigger fired"
        CONVERSATION_CLOSED = "conversation_closed", "The conversation was closed"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # None: every agent; a step written by the AI uses the conversation's agent.
    agent = models.ForeignKey("agents.Agent", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    start_on = models.CharField(max_length=10, choices=StartOn.choices, default=StartOn.MANUAL)
    start_pipeline_id = models.PositiveBigIntegerField(null=True, blank=True)
    start_stage_id = models.PositiveBigIntegerField(null=True, blank=True)
    stop_on = ArrayField(
        models.CharField(max_length=20, choices=StopOn.choices),
        default=list,
        blank=True,
    )
    # {"mon": [{"start": "09:00", "end": "18:00"}], …} in the workspace's time zone; empty: any time.
    working_hours = models.JSONField(default=dict, blank=True)
    holidays = ArrayField(models.DateField(), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="automations_chain_name_unique"),
        ]
        indexes = [models.Index(fields=["workspace", "is_active", "start_on"])]

    def __str__(self) -> str:
        return self.name


class ChainStep(WorkspaceOwned):
    """One step of a chain (table 11): after `delay_minutes` (from the run's start or the previous
    step), a message from a template or written by the AI, then the step's actions."""

    class Kind(models.TextChoices):
        TEMPLATE = "template", "Message template"
        AI = "ai", "AI-written follow-up"
        ACTIONS_ONLY = "actions", "Actions only"

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(default=0)
    delay_minutes = models.PositiveIntegerField(default=60, validators=[MaxValueValidator(60 * 24 * 90)])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEMPLATE)
    template = models.TextField(blank=True, help_text="With {customer_name}, {agent_name}, {lead.<field>}")
    ai_instruction = models.TextField(blank=True, help_text="What the AI follow-up should say")

    class Meta:
        ordering = ["order", "id"]


class ChainStepAction(WorkspaceOwned):
    """An action run after a step's message (table 12)."""

    step = models.ForeignKey(ChainStep, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "id"]


class ChainRun(WorkspaceOwned):
    """A chain running on one conversation; its timeline is its step rows plus its start and end."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"
        FAILED = "failed", "Failed"

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="runs")
    conversation = models.ForeignKey("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_by = models.CharField(max_length=20, help_text="manual, trigger, ai_reply or stage")
    started_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by_trigger = models.ForeignKey(Trigger, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stop_reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "conversation"],
                condition=models.Q(status="active"),
                name="automations_one_active_run",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "status"]),
            models.Index(fields=["chain", "-started_at"]),
        ]


class ChainRunStep(WorkspaceOwned):
    """A step of a run, due at a time already moved into the chain's working hours. Beat claims due
    rows (SKIP LOCKED); the message it sends is recorded on the row, so the step is sent exactly once."""

    run = models.ForeignKey(ChainRun, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(ChainStep, on_delete=models.CASCADE, related_name="+")
    scheduled_for = models.DateTimeField(help_text="When the delay ends, before working hours")
    due_at = models.DateTimeField(help_text="When it is sent: the next moment inside working hours")
    status = models.CharField(max_length=10, choices=DueStatus.choices, default=DueStatus.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"kind", "ok", "detail"|"error"}] for the step's actions
    actions = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "step"], name="automations_run_step_once")]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="pending"), name="automations_step_due"),
        ]


class FieldWrite(WorkspaceOwned):
    """A CRM field value the update rules wrote (or tried to), with the value it replaced: what the
    conversation shows and what undo restores."""

    class Status(models.TextChoices):
        WRITTEN = "written", "Written"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    conversation = models.ForeignKey("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("agents.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rule = models.ForeignKey("agents.UpdateRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entity = models.CharField(max_length=10, help_text="lead or contact")
    entity_id = models.CharField(max_length=100)
    field_id = models.PositiveBigIntegerField(null=True, blank=True)
    field_code = models.CharField(max_length=64, blank=True)
    field_name = models.CharField(max_length=255, blank=True)
    field_type = models.CharField(max_length=32, blank=True)
    # Kommo's custom_fields_values item "values" before and after (None: empty).
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    # The value as the model said it, before mapping (what the UI shows).
    extracted = models.JSONField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    quote = models.TextField(blank=True, help_text="The customer's words the value came from")
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conversation", "-created_at"])]

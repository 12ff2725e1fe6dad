"""Conversations and messages (roadmap tables 19–20), the processing trace of each AI reply, the
scheduled actions (delayed processing, approval timeouts) that beat claims when they fall due, and the
customer questions the agent could not ground in the knowledge base, clustered by meaning."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from pgvector.django import VectorField

from agent_platform.crypto import EncryptedTextField
from agent_platform.tenancy import WorkspaceOwned


class Conversation(WorkspaceOwned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WAITING_APPROVAL = "waiting_approval", "Waiting for approval"
        HUMAN = "human", "Handled by a human"
        CLOSED = "closed", "Closed"

    channel = models.CharField(max_length=20)
    external_chat_id = models.CharField(max_length=200)
    external_talk_id = models.CharField(max_length=100, blank=True)
    external_lead_id = models.CharField(max_length=100, blank=True)
    external_contact_id = models.CharField(max_length=100, blank=True)
    pipeline_id = models.PositiveBigIntegerField(null=True, blank=True)
    stage_id = models.PositiveBigIntegerField(null=True, blank=True)
    customer_name = models.CharField(max_length=200, blank=True)
    customer_handle = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    agent = models.ForeignKey("agents.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ai_paused_until = models.DateTimeField(null=True, blank=True)
    ai_reply_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "channel", "external_chat_id"], name="conversations_external_chat_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "-last_message_at"]),
            models.Index(fields=["workspace", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.customer_name or self.external_chat_id}"


class Message(WorkspaceOwned):
    class Direction(models.TextChoices):
        IN = "in", "Incoming"
        OUT = "out", "Outgoing"

    class Author(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AI = "ai", "AI agent"
        HUMAN = "human", "Human"
        SYSTEM = "system", "System"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Processing"
        QUEUED = "queued", "Queued for sending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        PENDING_APPROVAL = "pending_approval", "Pending approval"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"
        ANSWERED = "answered", "Answered"
        SKIPPED = "skipped", "Not answered by the AI"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=20)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.CharField(max_length=10, choices=Author.choices)
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    source_timestamp = models.DateTimeField(help_text="When the message was written, per its source")
    status = models.CharField(max_length=20, choices=Status.choices)
    status_reason = models.TextField(blank=True)
    # An AI reply answers these incoming messages (a burst gets one reply).
    answers = ArrayField(models.BigIntegerField(), default=list, blank=True)
    # The processing trace of an AI reply: every step with its timing and data.
    trace = models.JSONField(default=list, blank=True)
    # What people see beside the message: on an AI reply, the model that answered and the one it
    # stood in for ({"model": …}); on a playground message, the test switches it was sent with ({"test": …}).
    metadata = models.JSONField(default=dict, blank=True)
    original_text = models.TextField(blank=True, help_text="The AI's text when a reviewer edited it")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failure_stage = models.CharField(max_length=12, blank=True, help_text="processing or sending")
    send_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Idempotent ingest: one row per message of a channel, however often it is delivered.
            models.UniqueConstraint(
                fields=["workspace", "channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="conversations_message_external_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "source_timestamp", "id"]),
            models.Index(fields=["workspace", "status"]),
            # The stuck-work sweeper's scan (every workspace, every minute): only messages in flight
            # (a customer message is `received` for the moment until a reply claims it).
            models.Index(
                fields=["updated_at"],
                condition=models.Q(status__in=["received", "processing", "queued", "sending"]),
                name="conversations_msg_in_flight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class ScheduledAction(WorkspaceOwned):
    """Work due at a time: a database row, not a broker countdown (DESIGN §4). Beat claims due rows
    with SELECT … FOR UPDATE SKIP LOCKED; each row runs exactly once."""

    class Kind(models.TextChoices):
        PROCESS = "process", "Process the conversation's new messages"
        APPROVAL_TIMEOUT = "approval_timeout", "Approval timed out"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one pending "process" per conversation: a burst moves its due time instead.
            models.UniqueConstraint(
                fields=["conversation", "kind"],
                condition=models.Q(status="pending", kind="process"),
                name="conversations_one_pending_process",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="pending"), name="conversations_due_pending")
        ]


class ApiChannelSettings(WorkspaceOwned):
    """The generic API channel: replies are POSTed, signed, to the workspace's webhook URL."""

    webhook_url = models.URLField(blank=True)
    signing_secret = EncryptedTextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="conversations_api_channel_one")]


# The clusters' vectors come from this local model (multilingual, 512-d, ~3–17 ms a question): fixed,
# because a centroid only compares with vectors of its own model.
UNANSWERED_EMBEDDING_MODEL = "local:use-multilingual"


class UnansweredCluster(WorkspaceOwned):
    """Customer questions of one meaning the agent could not answer from the knowledge base: a
    question joins the open cluster whose centroid (the mean of its questions' vectors) is nearest,
    when near enough (services/unanswered.py)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        RESOLVED = "resolved", "Resolved by an article"

    title = models.CharField(max_length=300, help_text="The representative question: the one nearest the centroid")
    centroid = VectorField(dimensions=512)
    question_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    article = models.ForeignKey("knowledge.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["workspace", "status", "-last_seen_at"])]

    def __str__(self) -> str:
        return self.title[:60]


class UnansweredQuestion(WorkspaceOwned):
    """One customer turn the agent could not ground, once per customer message however many signals
    it gave (`reasons` collects them)."""

    class Reason(models.TextChoices):
        LOW_SCORE = "low_score", "No knowledge passage scored high"
        HANDOFF = "handoff", "Handed to a person"
        REJECTED = "rejected", "The reply was rejected"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+", help_text="The turn's last")
    text = models.TextField()
    reasons = ArrayField(models.CharField(max_length=12, choices=Reason.choices), default=list)
    cluster = models.ForeignKey(
        UnansweredCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    embedding = VectorField(dimensions=512, null=True, blank=True, help_text="Set as it is clustered")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message"], name="conversations_unanswered_one_per_message")]
        indexes = [
            models.Index(fields=["workspace", "created_at"]),
            models.Index(fields=["cluster", "-created_at"]),
            # The stuck-work sweep's scan: only questions whose clustering has not happened yet.
            models.Index(
                fields=["created_at"], condition=models.Q(cluster__isnull=True), name="conversations_unclustered"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class UnansweredDaily(WorkspaceOwned):
    """A cluster's questions per day (the workspace's day) and per reason, kept by one upsert as a
    question joins the cluster or gains a reason: what the list's period counts read, instead of
    counting the questions on each request."""

    cluster = models.ForeignKey(UnansweredCluster, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    questions = models.PositiveIntegerField(default=0)
    low_score = models.PositiveIntegerField(default=0)
    handoff = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "date"], name="conversations_unanswered_day")]
        indexes = [models.Index(fields=["workspace", "date"])]

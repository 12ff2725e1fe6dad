"""The Kommo integration of a workspace (roadmap table 13) and what it keeps of the account: synced
pipelines, fields and users, snapshots of leads and contacts, received webhook deliveries, and the
Salesbot dispatches that carry replies out. Registered in the `integrations` app."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agent_platform.crypto import EncryptedTextField
from agent_platform.tenancy import WorkspaceOwned


class KommoIntegration(WorkspaceOwned):
    """One Kommo account connected to one workspace. Tokens and secrets are encrypted at rest."""

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        ERROR = "error", "Needs attention"  # the tokens were refused: reconnect
        REVOKED = "revoked", "Access revoked in Kommo"
        DISCONNECTED = "disconnected", "Disconnected"

    class AuthKind(models.TextChoices):
        OAUTH = "oauth", "OAuth 2.0"
        LONG_LIVED = "long_lived", "Long-lived token (private integration)"

    class ReplyRoute(models.TextChoices):
        SALESBOT = "salesbot", "Salesbot (widget_request + continue)"
        CHATS_API = "chats_api", "Chats API (a channel of our own)"

    class SyncStatus(models.TextChoices):
        IDLE = "idle", "Not synced yet"
        RUNNING = "running", "Syncing"
        OK = "ok", "Synced"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONNECTED)
    auth_kind = models.CharField(max_length=16, choices=AuthKind.choices, default=AuthKind.OAUTH)
    base_domain = models.CharField(
        max_length=255, help_text="The account's host (OAuth `referer`): every call goes there"
    )
    account_id = models.BigIntegerField(null=True, blank=True)
    account_subdomain = models.CharField(max_length=100, blank=True)
    account_name = models.CharField(max_length=255, blank=True)
    amojo_id = models.CharField(max_length=64, blank=True, help_text="The account id of the Chats API")
    client_id = models.CharField(max_length=100, help_text="The Kommo integration's id (client_id)")
    client_secret = EncryptedTextField(blank=True, help_text="Empty: the platform's (KOMMO_CLIENT_SECRET)")
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    access_expires_at = models.DateTimeField(null=True, blank=True)
    # Webhooks reach /api/webhooks/kommo/<secret>/…: the secret picks the workspace (its digest is what
    # is looked up; the secret itself is kept, encrypted, to register and repair the URL).
    webhook_secret = EncryptedTextField()
    webhook_secret_digest = models.CharField(max_length=64, unique=True)
    webhook_destination = models.URLField(max_length=500, blank=True)
    webhook_registered_at = models.DateTimeField(null=True, blank=True)
    last_webhook_at = models.DateTimeField(null=True, blank=True)
    reply_route = models.CharField(max_length=16, choices=ReplyRoute.choices, default=ReplyRoute.SALESBOT)
    salesbot_bot_id = models.BigIntegerField(null=True, blank=True, help_text="The bot the replies run")
    # The Chats API channel (KOMMO.md A4): the workspace's own registration, or empty for the
    # platform's (KOMMO_CHATS_CHANNEL_*); the scope is what connecting it to the account gave.
    chats_channel_id = models.CharField(max_length=100, blank=True)
    chats_secret = EncryptedTextField(blank=True)
    chats_channel_code = models.CharField(max_length=100, blank=True, help_text="The channel's `origin` in webhooks")
    chats_scope_id = models.CharField(max_length=200, blank=True)
    chats_connected_at = models.DateTimeField(null=True, blank=True)
    sync_status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.IDLE)
    sync_progress = models.PositiveSmallIntegerField(default=0)
    sync_started_at = models.DateTimeField(null=True, blank=True)
    sync_finished_at = models.DateTimeField(null=True, blank=True)
    sync_result = models.JSONField(default=dict, blank=True)
    sync_error = models.TextField(blank=True)
    last_errors = models.JSONField(default=list, blank=True, help_text="The latest errors, newest first")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="kommo_integration_one_per_workspace")]
        indexes = [models.Index(fields=["account_id"], name="kommo_integration_account")]

    def __str__(self) -> str:
        return f"Kommo {self.base_domain} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.CONNECTED


class KommoPipeline(WorkspaceOwned):
    """A synced pipeline with its statuses (stages)."""

    kommo_id = models.BigIntegerField()
    name = models.CharField(max_length=255)
    sort = models.IntegerField(default=0)
    is_main = models.BooleanField(default=False)
    is_archive = models.BooleanField(default=False)
    statuses = models.JSONField(default=list, help_text='[{"id", "name", "sort", "color", "type"}]')
    deleted_in_kommo = models.BooleanField(default=False)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["sort", "kommo_id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "kommo_id"], name="kommo_pipeline_unique")]


class KommoField(WorkspaceOwned):
    """A synced custom field of leads, contacts or companies, with its enums."""

    entity = models.CharField(max_length=16)  # leads | contacts | companies
    kommo_id = models.BigIntegerField()
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=100, blank=True)
    type = models.CharField(max_length=32)
    enums = models.JSONField(default=list, blank=True, help_text='[{"id", "value", "sort", "code"?}]')
    sort = models.IntegerField(default=0)
    is_api_only = models.BooleanField(default=False)
    deleted_in_kommo = models.BooleanField(default=False)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["entity", "sort", "kommo_id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "entity", "kommo_id"], name="kommo_field_unique"),
        ]


class KommoUser(WorkspaceOwned):
    kommo_id = models.BigIntegerField()
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    is_admin = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "kommo_id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "kommo_id"], name="kommo_user_unique")]


class KommoEntity(WorkspaceOwned):
    """What we know of one lead or contact: its fields as Kommo last told us (webhook or API)."""

    entity = models.CharField(max_length=16)  # leads | contacts
    kommo_id = models.BigIntegerField()
    data = models.JSONField(default=dict, help_text="name, price, pipeline_id, status_id, …, fields {id: [values]}")
    kommo_updated_at = models.BigIntegerField(default=0, help_text="Kommo's updated_at / last_modified (unix)")
    fetched_at = models.DateTimeField(help_text="When the data last came from Kommo")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "entity", "kommo_id"], name="kommo_entity_unique"),
        ]


class KommoWebhookDelivery(WorkspaceOwned):
    """One webhook request as received: stored (and deduplicated) before anything else happens, then
    processed by the drain (`services.inbox`), so the answer to Kommo is fast and a redelivery changes
    nothing. The row is the queue: `received` rows are claimed (`claimed_at`) with SKIP LOCKED; a claim
    older than the claim timeout (a worker died) is taken again."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, default="events")  # events | salesbot | chats
    digest = models.CharField(max_length=64, help_text="SHA-256 of the body: a redelivery has the same")
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    events = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a drain took it for processing")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "digest"], name="kommo_delivery_unique")]
        indexes = [
            models.Index(fields=["workspace", "-received_at"], name="kommo_delivery_recent"),
            # The drain's queue: only the unprocessed rows, in arrival order.
            models.Index(fields=["id"], condition=models.Q(status="received"), name="kommo_delivery_pending"),
        ]


class SalesbotDispatch(WorkspaceOwned):
    """A reply on its way out through Salesbot: we run the bot for the lead, the bot's widget_request
    asks us for the text, and our `continue` hands it over (KOMMO.md A5)."""

    class Status(models.TextChoices):
        RUN_REQUESTED = "run_requested", "Bot started, waiting for its widget_request"
        CONTINUED = "continued", "Handed to the bot"
        FAILED = "failed", "Failed"

    message_id = models.BigIntegerField(help_text="The outgoing message (conversations.Message)")
    lead_id = models.BigIntegerField()
    bot_id = models.BigIntegerField()
    text = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUN_REQUESTED)
    continue_url = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "lead_id", "status"], name="kommo_dispatch_lead")]


class KommoChat(WorkspaceOwned):
    """A conversation of the platform's own channel mirrored into Kommo through the Chats API: our
    side (`channel`, `external_chat_id`) and Kommo's (its chat id, and the lead, contact and talk its
    webhooks name once the chat is there)."""

    channel = models.CharField(max_length=20)
    external_chat_id = models.CharField(max_length=200)
    conversation_key = models.CharField(max_length=64, help_text="Our conversation_id in the Chats API")
    client_key = models.CharField(max_length=64, help_text="The customer's sender id in the Chats API")
    kommo_chat_id = models.CharField(max_length=64, blank=True)
    lead_id = models.CharField(max_length=32, blank=True)
    contact_id = models.CharField(max_length=32, blank=True)
    talk_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "channel", "external_chat_id"], name="kommo_chat_unique"),
            models.UniqueConstraint(fields=["conversation_key"], name="kommo_chat_key_unique"),
        ]
        indexes = [models.Index(fields=["kommo_chat_id"], name="kommo_chat_kommo_id")]


class KommoChatMessage(WorkspaceOwned):
    """One message of a mirrored chat as it stands in Kommo: ours sent there once, or a manager's that
    came from there (never sent back)."""

    class Direction(models.TextChoices):
        TO_KOMMO = "to_kommo", "Mirrored into Kommo"
        FROM_KOMMO = "from_kommo", "Written in Kommo"

    chat = models.ForeignKey(KommoChat, on_delete=models.CASCADE, related_name="messages")
    message_id = models.BigIntegerField(null=True, blank=True, help_text="conversations.Message, when ours")
    kommo_message_id = models.CharField(max_length=64, blank=True)
    direction = models.CharField(max_length=12, choices=Direction.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "message_id"],
                condition=models.Q(message_id__isnull=False),
                name="kommo_chat_message_ours",
            ),
            models.UniqueConstraint(
                fields=["workspace", "kommo_message_id"],
                condition=~models.Q(kommo_message_id=""),
                name="kommo_chat_message_theirs",
            ),
        ]

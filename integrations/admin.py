from django import forms
from django.contrib import admin, messages

from agent_platform.errors import DomainError
from agent_platform.tenancy import workspace_scope
from integrations.kommo import services as kommo
from integrations.models import (
    AICredential,
    AIModel,
    KommoChat,
    KommoIntegration,
    KommoWebhookDelivery,
    SalesbotDispatch,
)


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = (
        "provider",
        "model_id",
        "display_name",
        "context_window",
        "input_price_per_million",
        "output_price_per_million",
        "cached_input_price_per_million",
        "supports_json_schema",
        "supports_vision",
        "active",
    )
    list_filter = ("provider", "active", "supports_json_schema", "supports_vision")
    list_editable = ("active",)
    search_fields = ("model_id", "display_name")


class AICredentialForm(forms.ModelForm):
    # Write-only in the admin too: the stored key is never rendered; leave empty to keep it.
    api_key = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False)
    base_url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = AICredential
        fields = ("workspace", "provider", "label", "api_key", "base_url")

    def clean_api_key(self):
        value = self.cleaned_data.get("api_key")
        if not value:
            if self.instance.pk:
                return self.instance.api_key
            raise forms.ValidationError("Enter the key.")
        return value


@admin.register(AICredential)
class AICredentialAdmin(admin.ModelAdmin):
    form = AICredentialForm
    list_display = ("workspace", "provider", "label", "masked_key", "base_url", "updated_at")
    list_filter = ("provider",)

    @admin.display(description="API key")
    def masked_key(self, obj: AICredential) -> str:
        return obj.api_key_masked

    def get_queryset(self, request):
        return AICredential.objects.unscoped_across_workspaces().select_related("workspace")


# -- Kommo -------------------------------------------------------------------------------------------


@admin.register(KommoIntegration)
class KommoIntegrationAdmin(admin.ModelAdmin):
    """Every workspace's Kommo connection: status, webhook health, the latest errors, and a resync
    action. Tokens and secrets are never shown (they are not among the fields)."""

    list_display = (
        "workspace",
        "base_domain",
        "status",
        "auth_kind",
        "sync_status",
        "webhook_registered",
        "last_webhook_at",
        "error_count",
        "updated_at",
    )
    list_filter = ("status", "auth_kind", "sync_status", "reply_route")
    search_fields = ("base_domain", "account_name", "account_subdomain", "workspace__name")
    actions = ["resync"]
    fields = (
        "workspace",
        "status",
        "auth_kind",
        "base_domain",
        "account_id",
        "account_subdomain",
        "account_name",
        "client_id",
        "access_expires_at",
        "reply_route",
        "salesbot_bot_id",
        "webhook_destination_masked",
        "webhook_registered_at",
        "last_webhook_at",
        "sync_status",
        "sync_progress",
        "sync_started_at",
        "sync_finished_at",
        "sync_result",
        "sync_error",
        "last_errors",
        "connected_by",
        "connected_at",
        "disconnected_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("reply_route", "salesbot_bot_id"))

    def get_queryset(self, request):
        return KommoIntegration.objects.unscoped_across_workspaces().select_related("workspace", "connected_by")

    def has_add_permission(self, request) -> bool:
        return False  # connections are made by the workspace's admins, through OAuth or their token

    @admin.display(boolean=True, description="Webhook")
    def webhook_registered(self, obj: KommoIntegration) -> bool:
        return bool(obj.webhook_destination)

    @admin.display(description="Webhook URL")
    def webhook_destination_masked(self, obj: KommoIntegration) -> str:
        # The URL carries the workspace's secret: only its shape is shown.
        return obj.webhook_destination.rsplit("/", 1)[0] + "/••••" if obj.webhook_destination else ""

    @admin.display(description="Errors")
    def error_count(self, obj: KommoIntegration) -> int:
        return len(obj.last_errors or [])

    @admin.action(description="Sync pipelines, fields and users again")
    def resync(self, request, queryset):
        started = 0
        for row in queryset:
            with workspace_scope(row.workspace_id):
                try:
                    kommo.sync_request(integration=row)
                    started += 1
                except DomainError as exc:
                    self.message_user(request, f"{row}: {exc.detail}", messages.WARNING)
        self.message_user(request, f"Sync queued for {started} integration(s).")


@admin.register(KommoWebhookDelivery)
class KommoWebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("received_at", "workspace", "kind", "status", "events", "short_error")
    list_filter = ("status", "kind")
    readonly_fields = (
        "workspace",
        "kind",
        "digest",
        "body",
        "status",
        "events",
        "error",
        "received_at",
        "processed_at",
    )

    def get_queryset(self, request):
        return KommoWebhookDelivery.objects.unscoped_across_workspaces().select_related("workspace")

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Error")
    def short_error(self, obj: KommoWebhookDelivery) -> str:
        return obj.error[:120]


@admin.register(SalesbotDispatch)
class SalesbotDispatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "workspace", "lead_id", "bot_id", "message_id", "status", "error")
    list_filter = ("status",)
    readonly_fields = ("workspace", "message_id", "lead_id", "bot_id", "text", "status", "continue_url", "error")

    def get_queryset(self, request):
        return SalesbotDispatch.objects.unscoped_across_workspaces().select_related("workspace")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(KommoChat)
class KommoChatAdmin(admin.ModelAdmin):
    """Conversations mirrored into Kommo through the Chats API, with the lead each became there."""

    list_display = ("created_at", "workspace", "channel", "external_chat_id", "kommo_chat_id", "lead_id")
    search_fields = ("external_chat_id", "kommo_chat_id", "lead_id")
    readonly_fields = (
        "workspace",
        "channel",
        "external_chat_id",
        "conversation_key",
        "client_key",
        "kommo_chat_id",
        "lead_id",
        "contact_id",
        "talk_id",
    )

    def get_queryset(self, request):
        return KommoChat.objects.unscoped_across_workspaces().select_related("workspace")

    def has_add_permission(self, request) -> bool:
        return False

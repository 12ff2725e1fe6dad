from decimal import Decimal

from django.db import models

from agent_platform.crypto import EncryptedTextField, mask
from agent_platform.tenancy import WorkspaceOwned


class AIProvider(models.TextChoices):
    OPENAI = "openai", "OpenAI"
    GEMINI = "gemini", "Google Gemini"
    ANTHROPIC = "anthropic", "Anthropic Claude"
    OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible endpoint"
    OFFLINE = "offline", "Offline (no network)"


class AIModelKind(models.TextChoices):
    CHAT = "chat", "Chat (writes replies)"
    EMBEDDING = "embedding", "Embedding (turns text into vectors)"


class AIModel(models.Model):
    """The model registry: platform-wide data (not workspace-owned), edited in the admin.

    Prices are per million tokens, in the platform's billing currency (USD); the usage ledger
    computes each call's cost from them.
    """

    provider = models.CharField(max_length=32, choices=AIProvider.choices)
    model_id = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=AIModelKind.choices, default=AIModelKind.CHAT)
    context_window = models.PositiveIntegerField(help_text="Tokens the model reads at most (prompt + output).")
    max_output_tokens = models.PositiveIntegerField()
    input_price_per_million = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    output_price_per_million = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    cached_input_price_per_million = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    supports_json_schema = models.BooleanField(default=True)
    supports_vision = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("provider", "model_id")
        constraints = [models.UniqueConstraint(fields=("provider", "model_id"), name="aimodel_provider_model_unique")]
        verbose_name = "AI model"

    def __str__(self) -> str:
        return f"{self.provider}:{self.model_id}"

    def cost_of(self, *, input_tokens: int, output_tokens: int, cached_tokens: int = 0) -> Decimal:
        """The price of one call: cached input tokens at the cached price, the rest at full price."""
        million = Decimal(1_000_000)
        fresh_input = max(0, input_tokens - cached_tokens)
        return (
            Decimal(fresh_input) * self.input_price_per_million
            + Decimal(cached_tokens) * self.cached_input_price_per_million
            + Decimal(output_tokens) * self.output_price_per_million
        ) / million


class AICredential(WorkspaceOwned):
    """A workspace's own key (and base URL) for one AI provider. The key is encrypted at rest and
    write-only: the API and the admin show only `mask()` of it."""

    provider = models.CharField(max_length=32, choices=AIProvider.choices)
    label = models.CharField(max_length=100, blank=True)
    api_key = EncryptedTextField()
    base_url = models.URLField(max_length=500, blank=True, help_text="Empty: the provider's own API.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("provider", "-updated_at")
        indexes = [models.Index(fields=("workspace", "provider"), name="aicredential_ws_provider")]
        verbose_name = "AI credential"

    def __str__(self) -> str:
        return f"{self.provider} {self.label}".strip()

    @property
    def api_key_masked(self) -> str:
        return mask(self.api_key)


# The Kommo integration's models live beside its code; importing them here registers them with the app.
from integrations.kommo.models import (  # noqa: E402
    KommoChat,
    KommoChatMessage,
    KommoEntity,
    KommoField,
    KommoIntegration,
    KommoPipeline,
    KommoUser,
    KommoWebhookDelivery,
    SalesbotDispatch,
)

__all__ = [
    "AICredential",
    "AIModel",
    "AIModelKind",
    "AIProvider",
    "KommoChat",
    "KommoChatMessage",
    "KommoEntity",
    "KommoField",
    "KommoIntegration",
    "KommoPipeline",
    "KommoUser",
    "KommoWebhookDelivery",
    "SalesbotDispatch",
]

from decimal import Decimal

from django.db import models


class AIProvider(models.TextChoices):
    OPENAI = "openai", "OpenAI"
    GEMINI = "gemini", "Google Gemini"
    ANTHROPIC = "anthropic", "Anthropic Claude"
    OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible endpoint"
    OFFLINE = "offline", "Offline (no network)"


class AIModel(models.Model):
    """The model registry: platform-wide data (not workspace-owned), edited in the admin.

    Prices are per million tokens, in the platform's billing currency (USD); the usage ledger
    computes each call's cost from them.
    """

    provider = models.CharField(max_length=32, choices=AIProvider.choices)
    model_id = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200)
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

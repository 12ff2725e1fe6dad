from django.contrib import admin

from integrations.models import AIModel


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

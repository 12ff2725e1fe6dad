from decimal import Decimal

from django.db import migrations

# Embedding models: priced per million input tokens (USD), so embedding calls have a cost in the ledger.
MODELS = [
    ("openai", "text-embedding-3-small", "OpenAI text-embedding-3-small", 8191, "0.02"),
    ("gemini", "gemini-embedding-001", "Gemini embedding 001", 2048, "0.15"),
]


def seed(apps, schema_editor):
    AIModel = apps.get_model("integrations", "AIModel")
    for provider, model_id, name, context, price in MODELS:
        AIModel.objects.update_or_create(
            provider=provider,
            model_id=model_id,
            defaults={
                "display_name": name,
                "context_window": context,
                "max_output_tokens": 0,
                "input_price_per_million": Decimal(price),
                "output_price_per_million": Decimal(0),
                "cached_input_price_per_million": Decimal(0),
                "supports_json_schema": False,
                "supports_vision": False,
            },
        )


def unseed(apps, schema_editor):
    AIModel = apps.get_model("integrations", "AIModel")
    for provider, model_id, *_ in MODELS:
        AIModel.objects.filter(provider=provider, model_id=model_id).delete()


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_ai_credentials")]

    operations = [migrations.RunPython(seed, unseed)]

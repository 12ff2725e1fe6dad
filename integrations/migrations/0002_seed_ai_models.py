from decimal import Decimal

from django.db import migrations

# Prices per million tokens (USD): input, output, cached input. Context window, max output tokens,
# JSON-schema support, vision. As published by the providers at the time of writing; edit in the admin.
MODELS = [
    ("openai", "gpt-4.1", "GPT-4.1", 1047576, 32768, "2.00", "8.00", "0.50", True, True),
    ("openai", "gpt-4.1-mini", "GPT-4.1 mini", 1047576, 32768, "0.40", "1.60", "0.10", True, True),
    ("openai", "gpt-4.1-nano", "GPT-4.1 nano", 1047576, 32768, "0.10", "0.40", "0.025", True, True),
    ("openai", "gpt-4o", "GPT-4o", 128000, 16384, "2.50", "10.00", "1.25", True, True),
    ("openai", "gpt-4o-mini", "GPT-4o mini", 128000, 16384, "0.15", "0.60", "0.075", True, True),
    ("openai", "gpt-5", "GPT-5", 400000, 128000, "1.25", "10.00", "0.125", True, True),
    ("openai", "gpt-5-mini", "GPT-5 mini", 400000, 128000, "0.25", "2.00", "0.025", True, True),
    ("openai", "gpt-5-nano", "GPT-5 nano", 400000, 128000, "0.05", "0.40", "0.005", True, True),
    ("openai", "o4-mini", "o4-mini", 200000, 100000, "1.10", "4.40", "0.275", True, True),
    ("gemini", "gemini-2.5-pro", "Gemini 2.5 Pro", 1048576, 65536, "1.25", "10.00", "0.31", True, True),
    ("gemini", "gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536, "0.30", "2.50", "0.075", True, True),
    ("gemini", "gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 1048576, 65536, "0.10", "0.40", "0.025", True, True),
    ("gemini", "gemini-2.0-flash", "Gemini 2.0 Flash", 1048576, 8192, "0.10", "0.40", "0.025", True, True),
    ("anthropic", "claude-opus-4-1", "Claude Opus 4.1", 200000, 32000, "15.00", "75.00", "1.50", True, True),
    ("anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5", 200000, 64000, "3.00", "15.00", "0.30", True, True),
    ("anthropic", "claude-sonnet-4-0", "Claude Sonnet 4", 200000, 64000, "3.00", "15.00", "0.30", True, True),
    ("anthropic", "claude-haiku-4-5", "Claude Haiku 4.5", 200000, 64000, "1.00", "5.00", "0.10", True, True),
    ("anthropic", "claude-3-5-haiku-latest", "Claude Haiku 3.5", 200000, 8192, "0.80", "4.00", "0.08", True, True),
    ("offline", "offline-extractive", "Offline (extractive, no network)", 32000, 1024, "0", "0", "0", True, False),
]


def seed(apps, schema_editor):
    AIModel = apps.get_model("integrations", "AIModel")
    for provider, model_id, name, context, max_out, price_in, price_out, price_cached, json_schema, vision in MODELS:
        AIModel.objects.update_or_create(
            provider=provider,
            model_id=model_id,
            defaults={
                "display_name": name,
                "context_window": context,
                "max_output_tokens": max_out,
                "input_price_per_million": Decimal(price_in),
                "output_price_per_million": Decimal(price_out),
                "cached_input_price_per_million": Decimal(price_cached),
                "supports_json_schema": json_schema,
                "supports_vision": vision,
            },
        )


def unseed(apps, schema_editor):
    AIModel = apps.get_model("integrations", "AIModel")
    for provider, model_id, *_ in MODELS:
        AIModel.objects.filter(provider=provider, model_id=model_id).delete()


class Migration(migrations.Migration):
    dependencies = [("integrations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

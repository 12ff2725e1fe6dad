from django.db import migrations, models

# The registry's embedding models (seeded by 0004): never offered as an agent's chat model.
EMBEDDING_MODELS = [("openai", "text-embedding-3-small"), ("gemini", "gemini-embedding-001")]


def mark_embedding_models(apps, schema_editor):
    AIModel = apps.get_model("integrations", "AIModel")
    for provider, model_id in EMBEDDING_MODELS:
        AIModel.objects.filter(provider=provider, model_id=model_id).update(kind="embedding")


class Migration(migrations.Migration):
    dependencies = [("integrations", "0006_kommo_chats")]

    operations = [
        migrations.AddField(
            model_name="aimodel",
            name="kind",
            field=models.CharField(
                choices=[("chat", "Chat (writes replies)"), ("embedding", "Embedding (turns text into vectors)")],
                default="chat",
                max_length=16,
            ),
        ),
        migrations.RunPython(mark_embedding_models, migrations.RunPython.noop),
    ]

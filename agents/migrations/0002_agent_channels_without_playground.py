"""The playground is no longer a channel an agent is switched on for (see agents.models.AGENT_CHANNELS):
it always answered with the agent picked there, so the rows that named it changed nothing."""

from django.db import migrations, models


def drop_playground_rows(apps, schema_editor):
    AgentChannel = apps.get_model("agents", "AgentChannel")
    AgentChannel.all_workspaces.filter(channel="playground").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
    ]

    operations = [
        # Nothing to bring back going backwards: the rows had no effect.
        migrations.RunPython(drop_playground_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agentchannel",
            name="channel",
            field=models.CharField(
                choices=[
                    ("whatsapp", "WhatsApp"),
                    ("telegram", "Telegram"),
                    ("instagram", "Instagram"),
                    ("facebook", "Facebook Messenger"),
                    ("viber", "Viber"),
                    ("email", "Email"),
                    ("web_chat", "Web chat"),
                    ("api", "API"),
                ],
                max_length=20,
            ),
        ),
    ]

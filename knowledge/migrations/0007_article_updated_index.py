"""The article list's default order (newest change first) read from an index: without it every page
sorted all of the workspace's articles (bench/api_lists). Built concurrently: no lock on a big table."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("knowledge", "0006_article_body_bytes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(fields=["workspace", "-updated_at", "-id"], name="kb_article_updated_idx"),
        ),
    ]

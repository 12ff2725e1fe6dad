from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """pgvector, for embeddings. Only extensions that both the embedded PostgreSQL (pgserver:
    no contrib modules) and a regular server have may be enabled here."""

    initial = True
    dependencies: list = []
    operations = [VectorExtension()]

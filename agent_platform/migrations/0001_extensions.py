from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations
from pgvector.django import VectorExtension


class Migration(migrations.Migration):
    """PostgreSQL extensions every app may rely on: pgvector (embeddings), pg_trgm and unaccent (search)."""

    initial = True
    dependencies: list = []
    operations = [VectorExtension(), TrigramExtension(), UnaccentExtension()]

import pytest
from django.db import connection
from pgvector.django import CosineDistance

from agent_platform.tenancy import workspace_scope
from tests.sample.models import Note

pytestmark = pytest.mark.django_db


def test_pgvector_extension_is_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    assert row is not None
    major, minor = (int(part) for part in row[0].split(".")[:2])
    assert (major, minor) >= (0, 6)


def test_nearest_neighbour_query_uses_the_hnsw_index(workspace):
    with workspace_scope(workspace.pk):
        Note.objects.bulk_create(
            [Note(workspace=workspace, title=f"n{i}", embedding=[1.0, i / 100, (i % 7) / 7]) for i in range(300)]
        )
        # Unfiltered on purpose: how filtered vector search stays correct is the knowledge app's concern.
        query = Note.objects.unscoped_across_workspaces().order_by(CosineDistance("embedding", [1.0, 0.5, 0.5]))[:5]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sample_note")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        nearest = list(query)
    assert "sample_note_embedding_hnsw" in plan
    assert len(nearest) == 5

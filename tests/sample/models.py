from django.db import models
from pgvector.django import HnswIndex, VectorField

from agent_platform.crypto import EncryptedTextField
from agent_platform.tenancy import WorkspaceOwned


class Tag(WorkspaceOwned):
    name = models.CharField(max_length=50)


class Note(WorkspaceOwned):
    title = models.CharField(max_length=100)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    embedding = VectorField(dimensions=3, null=True, blank=True)

    class Meta:
        indexes = [
            HnswIndex(
                name="sample_note_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            )
        ]


class Secret(WorkspaceOwned):
    label = models.CharField(max_length=50)
    value = EncryptedTextField()

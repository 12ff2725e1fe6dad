from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.fields import ScopedPrimaryKeyRelatedField
from agent_platform.api.viewsets import WorkspaceModelViewSet
from agent_platform.errors import Conflict
from agent_platform.tenancy import Role
from tests.sample.models import Note, Tag


class NoteSerializer(serializers.ModelSerializer):
    tag = ScopedPrimaryKeyRelatedField(model=Tag, required=False, allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "title", "tag"]


class NoteViewSet(WorkspaceModelViewSet):
    serializer_class = NoteSerializer
    action_roles = {"destroy": Role.OWNER, "create": Role.MEMBER}
    filterset_fields = ["tag"]
    ordering_fields = ["title", "id"]

    def scoped_queryset(self):
        return Note.objects.order_by("id")

    @action(detail=True, methods=["post"])
    def conflict(self, request, pk=None):
        raise Conflict("This note is locked.")

    @action(detail=False, methods=["get"])
    def crash(self, request):
        raise RuntimeError("boom")

    @action(detail=False, methods=["get"])
    def count(self, request):
        return Response({"count": self.get_queryset().count()})

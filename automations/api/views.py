from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role
from automations import selectors, services
from automations.api import serializers as s
from automations.models import FieldWrite
from conversations.selectors import conversation_list


@extend_schema(tags=["automations"])
class ConversationFieldWriteViewSet(WorkspaceViewSet):
    """What the update rules wrote to the CRM in one conversation."""

    serializer_class = s.FieldWriteOutput
    pagination_class = None

    def scoped_queryset(self):
        return FieldWrite.objects.none()

    @extend_schema(responses=s.FieldWriteOutput(many=True))
    def list(self, request, conversation_pk=None):
        """The conversation's field updates, newest first (the latest 200)."""
        conversation = get_object_or_404(conversation_list(), pk=conversation_pk)
        writes = list(selectors.field_write_list(conversation=conversation))
        context = {**self.get_serializer_context(), "superseded": selectors.field_writes_superseded(writes)}
        return Response(s.FieldWriteOutput(writes, many=True, context=context).data)


@extend_schema(tags=["automations"])
class FieldWriteViewSet(WorkspaceViewSet):
    """Undo a field update. Members may: they review the AI's work in the inbox (approve, reject and
    retry its replies), undo only puts back the value the field held before the AI's write, and it
    refuses once anyone changed the field since."""

    serializer_class = s.FieldWriteOutput
    action_roles = {"undo": Role.MEMBER}

    def scoped_queryset(self):
        return FieldWrite.objects.select_related("rule", "undone_by")

    @extend_schema(request=None, responses=s.FieldWriteOutput)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        write = services.field_write_undo(write=self.get_object(), user=request.user)
        return Response(s.FieldWriteOutput(write, context=self.get_serializer_context()).data)

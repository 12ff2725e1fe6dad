from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role
from automations import selectors, services
from automations.api import serializers as s
from automations.models import FieldWrite, TriggerLog
from conversations.selectors import conversation_list


# Triggers: when a condition holds on a customer's message (or their silence), run actions. (A
# comment: drf-spectacular would show a viewset's docstring on every operation.)
@extend_schema(tags=["triggers"])
class TriggerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceViewSet):
    serializer_class = s.TriggerOutput

    def scoped_queryset(self):
        return selectors.trigger_list()

    def _read(self, pk: int):
        return selectors.trigger_list().get(pk=pk)  # with the run counts the output shows

    @extend_schema(request=s.TriggerInput, responses={201: s.TriggerOutput})
    def create(self, request):
        data = self.validated(s.TriggerInput, request.data)
        trigger = services.trigger_create(workspace=self.workspace, actor=request.user, data=data)
        return Response(s.TriggerOutput(self._read(trigger.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TriggerInput, responses=s.TriggerOutput)
    def partial_update(self, request, pk=None):
        trigger = self.get_object()
        data = self.validated(s.TriggerInput, request.data, instance=trigger, partial=True)
        services.trigger_update(trigger=trigger, actor=request.user, data=data)
        return Response(s.TriggerOutput(self._read(trigger.pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.trigger_delete(trigger=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("outcome", enum=TriggerLog.Outcome.values, required=False)],
        responses=s.TriggerLogOutput(many=True),
    )
    @action(detail=True, methods=["get"])
    def logs(self, request, pk=None):
        """Every evaluation of the trigger, newest first."""
        outcome = request.query_params.get("outcome") or None
        logs = selectors.trigger_logs(trigger=self.get_object(), outcome=outcome)
        page = self.paginate_queryset(logs)
        return self.get_paginated_response(s.TriggerLogOutput(page, many=True).data)

    @extend_schema(request=s.TriggerTestInput, responses=s.TriggerTestOutput)
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """A dry run on a text: would it fire, why, and what would run. Nothing is executed."""
        data = self.validated(s.TriggerTestInput, request.data)
        result = services.trigger_test(trigger=self.get_object(), text=data["text"], conversation=data["conversation"])
        return Response(s.TriggerTestOutput(result).data)

    @extend_schema(responses=s.TriggerVocabularyOutput)
    @action(detail=False, methods=["get"])
    def vocabulary(self, request):
        """The facts and operators a condition may use, the actions and their parameters."""
        return Response(s.TriggerVocabularyOutput(selectors.trigger_vocabulary()).data)


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

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from automations import selectors, services
from automations.api import serializers as s
from automations.models import TriggerLog


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

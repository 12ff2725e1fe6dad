"""Chains: CRUD with nested ordered steps, their runs with each run's timeline, a manual start and a
stop; and a conversation's runs (for the conversation page; conversations does not import automations)."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role
from automations import selectors
from automations.api import chain_serializers as s
from automations.exceptions import ChainRunNotActive, ConversationNotFound
from automations.models import Chain, ChainRun
from automations.services import chain_edit
from automations.services.chains import chain_runs_stop
from conversations.selectors import conversation_exists, conversation_list

STATUS_PARAMETER = OpenApiParameter("status", str, enum=[choice for choice, _ in ChainRun.Status.choices])


class ChainFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active")
    start_on = django_filters.ChoiceFilter(choices=Chain.StartOn.choices)

    class Meta:
        model = Chain
        fields = ["active", "start_on"]


@extend_schema(tags=["chains"])
class ChainViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceViewSet):
    serializer_class = s.ChainOutput
    filterset_class = ChainFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at"]
    action_roles = {"start": Role.ADMIN, "run_stop": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.chain_list()

    def _output(self, chain: Chain) -> dict:
        return s.ChainOutput(selectors.chain_list().get(pk=chain.pk)).data

    @extend_schema(request=s.ChainInput, responses={201: s.ChainOutput})
    def create(self, request):
        data = self.validated(s.ChainInput, request.data)
        chain = chain_edit.chain_create(workspace=self.workspace, actor=request.user, data=data)
        return Response(self._output(chain), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ChainUpdateInput, responses=s.ChainOutput)
    def partial_update(self, request, pk=None):
        chain = self.get_object()
        data = self.validated(s.ChainUpdateInput, request.data, partial=True)
        chain_edit.chain_update(chain=chain, actor=request.user, data=data)
        return Response(self._output(chain))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        chain_edit.chain_delete(chain=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[STATUS_PARAMETER], responses=s.ChainRunOutput(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, search_fields=[], ordering_fields=[])
    def runs(self, request, pk=None):
        """The chain's runs, newest first (`?status=active`), each with its timeline."""
        runs = selectors.chain_run_list(chain=self.get_object(), status=request.query_params.get("status"))
        page = self.paginate_queryset(runs)
        return self.get_paginated_response(s.ChainRunOutput(page, many=True).data)

    @extend_schema(responses=s.ChainRunOutput)
    @action(detail=True, methods=["get"], url_path=r"runs/(?P<run_id>\d+)", filterset_class=None)
    def run(self, request, pk=None, run_id=None):
        """One run with its timeline: started, each step (delay end, due time, status, message, actions,
        error), stopped or completed with the reason."""
        return Response(s.ChainRunOutput(self._run(run_id)).data)

    @extend_schema(request=None, responses=s.ChainRunOutput)
    @action(detail=True, methods=["post"], url_path=r"runs/(?P<run_id>\d+)/stop", filterset_class=None)
    def run_stop(self, request, pk=None, run_id=None):
        run = self._run(run_id)
        if run.status != ChainRun.Status.ACTIVE:
            raise ChainRunNotActive(f"The run is already {run.status}.")
        name = request.user.name or request.user.email
        chain_runs_stop(conversation=run.conversation, chain=run.chain, reason=f"Stopped by {name}")
        return Response(s.ChainRunOutput(self._run(run_id)).data)

    @extend_schema(request=s.StartInput, responses={201: s.ChainRunOutput})
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        """Start the chain on a conversation by hand (409 chain_already_running when it runs there)."""
        data = self.validated(s.StartInput, request.data)
        conversation = conversation_list().filter(pk=data["conversation"]).first()
        if conversation is None:
            raise ConversationNotFound(errors={"conversation": ["No such conversation."]})
        run = chain_edit.chain_start_manual(chain=self.get_object(), conversation=conversation, actor=request.user)
        return Response(s.ChainRunOutput(self._run(run.pk)).data, status=status.HTTP_201_CREATED)

    def _run(self, run_id) -> ChainRun:
        return get_object_or_404(selectors.chain_run_list(chain=self.get_object()), pk=run_id)


@extend_schema(tags=["chains"])
class ConversationChainRunViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    """The conversation's chain runs (every chain), newest first, each with its timeline."""

    serializer_class = s.ChainRunOutput
    pagination_class = None

    def scoped_queryset(self):
        conversation_id = int(self.kwargs.get("conversation_pk", 0))
        if not getattr(self, "swagger_fake_view", False) and not conversation_exists(conversation_id=conversation_id):
            raise ConversationNotFound()
        return selectors.conversation_chain_runs(conversation_id=conversation_id)

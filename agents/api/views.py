import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from agents import selectors, services
from agents.api import serializers as s
from agents.models import AGENT_CHANNELS, Agent


class AgentFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active")
    channel = django_filters.ChoiceFilter(field_name="channels__channel", choices=AGENT_CHANNELS, distinct=True)
    model = django_filters.CharFilter(field_name="model_id")
    provider = django_filters.CharFilter(field_name="model_provider")

    class Meta:
        model = Agent
        fields = ["active", "channel", "model", "provider"]


CONFIG_SECTIONS = {
    # url_path: (snapshot key, input serializer, input field)
    "pipelines": ("pipelines", s.PipelinesInput, "pipelines"),
    "channels": ("channels", s.ChannelsInput, "channels"),
    "knowledge-base": ("knowledge_categories", s.KnowledgeScopeInput, "category_ids"),
    "crm-access": ("crm_fields", s.CrmAccessInput, "fields"),
}


# The PATCH body's configuration tables → the snapshot's (and agent_config_replace's) keys.
SECTION_KEYS = {
    "channels": "channels",
    "pipelines": "pipelines",
    "category_ids": "knowledge_categories",
    "crm_fields": "crm_fields",
}


@extend_schema(tags=["agents"])
class AgentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceViewSet):
    serializer_class = s.AgentOutput
    filterset_class = AgentFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "updated_at", "is_active"]

    def scoped_queryset(self):
        return selectors.agent_list()

    @extend_schema(request=s.AgentInput, responses={201: s.AgentOutput})
    def create(self, request):
        data = self.validated(s.AgentInput, request.data)
        agent = services.agent_create(workspace=self.workspace, actor=request.user, data=data)
        return Response(s.AgentOutput(agent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AgentUpdateInput, responses=s.AgentOutput)
    def partial_update(self, request, pk=None):
        agent = self.get_object()
        data = self.validated(s.AgentUpdateInput, request.data, instance=agent, partial=True)
        sections = {SECTION_KEYS[name]: items for name, items in data.pop("sections").items()}
        if "knowledge_categories" in sections:
            sections["knowledge_categories"] = [category.pk for category in sections["knowledge_categories"]]
        base_version = data.pop("base_version", None)
        services.agent_update(agent=agent, actor=request.user, data=data, sections=sections, base_version=base_version)
        return Response(s.AgentOutput(self.get_object()).data)  # read again: the tables changed under the prefetch

    @extend_schema(responses=s.ChannelStatusOutput)
    @action(detail=False, methods=["get"], url_path="channel-status")
    def channel_status(self, request):
        """Which channels customers can reach the workspace's agents on now, and why not."""
        return Response({"channels": selectors.channel_status()})

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.agent_delete(agent=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.DuplicateInput, responses={201: s.AgentOutput})
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        data = self.validated(s.DuplicateInput, request.data)
        copy = services.agent_duplicate(agent=self.get_object(), actor=request.user, name=data.get("name"))
        return Response(s.AgentOutput(copy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ToggleInput, responses=s.AgentOutput)
    @action(detail=True, methods=["patch"])
    def toggle(self, request, pk=None):
        data = self.validated(s.ToggleInput, request.data)
        agent = services.agent_toggle(agent=self.get_object(), actor=request.user, is_active=data.get("is_active"))
        return Response(s.AgentOutput(agent).data)

    def _section(self, request, url_path: str):
        key, input_serializer, field = CONFIG_SECTIONS[url_path]
        agent = self.get_object()
        if request.method == "PUT":
            items = self.validated(input_serializer, request.data)[field]
            if key == "knowledge_categories":
                items = [category.pk for category in items]
            agent = services.agent_config_replace(agent=agent, actor=request.user, section=key, items=items)
        return Response({field: selectors.agent_snapshot(agent)[key]})

    @extend_schema(methods=["GET"], responses=s.PipelinesInput)
    @extend_schema(methods=["PUT"], request=s.PipelinesInput, responses=s.PipelinesInput)
    @action(detail=True, methods=["get", "put"])
    def pipelines(self, request, pk=None):
        return self._section(request, "pipelines")

    @extend_schema(methods=["GET"], responses=s.ChannelsInput)
    @extend_schema(methods=["PUT"], request=s.ChannelsInput, responses=s.ChannelsInput)
    @action(detail=True, methods=["get", "put"])
    def channels(self, request, pk=None):
        return self._section(request, "channels")

    @extend_schema(methods=["GET"], responses=s.KnowledgeScopeOutput)
    @extend_schema(methods=["PUT"], request=s.KnowledgeScopeInput, responses=s.KnowledgeScopeOutput)
    @action(detail=True, methods=["get", "put"], url_path="knowledge-base")
    def knowledge_base(self, request, pk=None):
        return self._section(request, "knowledge-base")

    @extend_schema(methods=["GET"], responses=s.CrmAccessInput)
    @extend_schema(methods=["PUT"], request=s.CrmAccessInput, responses=s.CrmAccessInput)
    @action(detail=True, methods=["get", "put"], url_path="crm-access")
    def crm_access(self, request, pk=None):
        return self._section(request, "crm-access")

    @extend_schema(responses=s.VersionOutput(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        versions = selectors.agent_versions(agent=self.get_object())
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(s.VersionOutput(page, many=True).data)

    @extend_schema(responses=s.VersionDetailOutput)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version(self, request, pk=None, number=None):
        version = selectors.agent_version_get(agent=self.get_object(), number=number)
        return Response(s.VersionDetailOutput(version).data)

    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=s.VersionDiffOutput,
    )
    @action(detail=True, methods=["get"], url_path="versions/diff")
    def version_diff(self, request, pk=None):
        agent, params = self.get_object(), request.query_params
        old = selectors.agent_version_get(agent=agent, number=params.get("from"))
        new = selectors.agent_version_get(agent=agent, number=params.get("to"))
        changes = selectors.snapshot_diff(old.snapshot, new.snapshot)
        return Response({"from_version": old.number, "to_version": new.number, "changes": changes})

    @extend_schema(request=None, responses=s.RestoreOutput)
    @action(detail=True, methods=["post"], url_path=r"versions/(?P<number>\d+)/restore")
    def version_restore(self, request, pk=None, number=None):
        _, missing = services.agent_version_restore(agent=self.get_object(), number=int(number), actor=request.user)
        return Response({"agent": s.AgentOutput(self.get_object()).data, "missing_category_ids": missing})


@extend_schema(tags=["agents"])
class UpdateRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceViewSet):
    serializer_class = s.UpdateRuleOutput
    pagination_class = None
    filter_backends: list = []

    def scoped_queryset(self):
        return selectors.update_rule_list(agent_id=self.kwargs.get("agent_pk"))

    def _agent(self) -> Agent:
        return get_object_or_404(selectors.agent_list(), pk=self.kwargs["agent_pk"])

    def list(self, request, *args, **kwargs):
        self._agent()  # another workspace's agent answers 404, not an empty list
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.UpdateRuleInput, responses={201: s.UpdateRuleOutput})
    def create(self, request, agent_pk=None):
        agent = self._agent()
        data = self.validated(s.UpdateRuleInput, request.data)
        rule = services.update_rule_create(agent=agent, actor=request.user, data=data)
        return Response(s.UpdateRuleOutput(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.UpdateRuleInput, responses=s.UpdateRuleOutput)
    def partial_update(self, request, agent_pk=None, pk=None):
        rule = self.get_object()
        data = self.validated(s.UpdateRuleInput, request.data, instance=rule, partial=True)
        rule = services.update_rule_update(rule=rule, actor=request.user, data=data)
        return Response(s.UpdateRuleOutput(rule).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, agent_pk=None, pk=None):
        services.update_rule_delete(rule=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

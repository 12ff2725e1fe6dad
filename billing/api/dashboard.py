"""The dashboard's live part: today's counters (`GET /api/statistics/live`) and the needs-attention
list (`GET /api/statistics/attention`). The SPA refetches them when a realtime event says a figure
changed (`statistics.updated`, `approval.*`, and a few more: frontend/src/features/dashboard/liveApi.ts)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from agent_platform.api.viewsets import WorkspaceViewSet
from billing import selectors
from billing.dashboard.selectors import attention_list, dashboard_live
from billing.types import AttentionSeverity


class LiveCountersOutput(serializers.Serializer):
    date = serializers.DateField(help_text="Today in the workspace's time zone")
    conversations_today = serializers.IntegerField(help_text="Conversations started today")
    ai_replies_today = serializers.IntegerField(help_text="AI replies delivered today")
    handoffs_today = serializers.IntegerField(help_text="Conversations handed to a person today")
    pending_approvals = serializers.IntegerField(default=0, help_text="AI replies waiting for approval now")
    open_handoffs = serializers.IntegerField(default=0, help_text="Conversations a person handles now")


class AttentionItemOutput(serializers.Serializer):
    kind = serializers.CharField(
        help_text="pending_approvals, failed_messages, kb_index_failed, kommo_error, kommo_webhooks_failed, "
        "kommo_sync_failed, chain_runs_failed, open_handoffs, quota"
    )
    count = serializers.IntegerField()
    severity = serializers.ChoiceField(choices=AttentionSeverity.choices)
    link = serializers.CharField(help_text="The SPA page that fixes it, filtered where the page can be")
    extra = serializers.DictField(help_text="Details of the kind (a quota's metric, used, limit, percent)")


class AttentionOutput(serializers.Serializer):
    items = AttentionItemOutput(many=True, help_text="Worst first; empty when all is well")


class DashboardLiveViewSet(WorkspaceViewSet):
    pagination_class = None

    def scoped_queryset(self):
        return selectors.usage_event_list()

    @extend_schema(
        tags=["statistics"],
        summary="Today's counters and what waits now (the dashboard's live cards)",
        responses=LiveCountersOutput,
    )
    def live(self, request):
        return Response(LiveCountersOutput(dashboard_live(workspace=self.workspace)).data)

    @extend_schema(
        tags=["statistics"],
        summary="What needs attention: each kind with its count, severity and a link",
        responses=AttentionOutput,
    )
    def attention(self, request):
        return Response(AttentionOutput({"items": attention_list(workspace=self.workspace)}).data)

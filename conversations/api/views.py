import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agent_platform.api.keys import ApiKeyScope
from agent_platform.api.pagination import CreatedCursorPagination
from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.crypto import mask
from agent_platform.tenancy import Role
from agents.selectors import agent_list
from billing.selectors import workspace_today
from conversations import selectors, services
from conversations.api import serializers as s
from conversations.models import Conversation, Message
from integrations.channels import Channel


class ConversationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Conversation.Status.choices)
    channel = filters.ChoiceFilter(choices=Channel.choices)
    agent = filters.NumberFilter(field_name="agent_id")
    needs_approval = filters.BooleanFilter(field_name="needs_approval")
    has_failed = filters.BooleanFilter(method="filter_has_failed", label="Holds a message that failed")

    class Meta:
        model = Conversation
        fields = ["status", "channel", "agent", "needs_approval", "has_failed"]

    def filter_has_failed(self, queryset, name, value):
        return selectors.conversations_holding_failed(queryset, holding=value)


class MessageCursorPagination(CreatedCursorPagination):
    ordering = ("-source_timestamp", "-id")


@extend_schema(tags=["conversations"])
class ConversationViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    serializer_class = s.ConversationOutput
    filterset_class = ConversationFilter
    search_fields = ["customer_name", "customer_handle", "external_chat_id"]
    ordering_fields = ["last_message_at", "created_at", "unread_count"]
    # Members do the daily work: answer, approve, hand over.
    action_roles = dict.fromkeys(
        ("messages", "approve", "reject", "retry", "handoff", "resume_ai", "close", "read"),
        Role.MEMBER,
    )
    # A server on the API channel may read replies with a key (the POST of `messages` needs a person).
    api_key_scopes = dict.fromkeys(("list", "retrieve", "messages", "summary"), ApiKeyScope.CONVERSATIONS_READ)

    def scoped_queryset(self):
        return selectors.conversation_list()

    @extend_schema(responses=s.ConversationSummaryOutput)
    @action(detail=False, methods=["get"])
    def summary(self, request):
        """Inbox counts of the whole workspace (the list's filters do not apply)."""
        return Response(s.ConversationSummaryOutput(selectors.conversation_summary()).data)

    @extend_schema(responses=s.ConversationDetailOutput)
    def retrieve(self, request, pk=None):
        conversation = self.get_object()
        recent, has_older = selectors.conversation_recent_messages(conversation=conversation)
        context = {
            "recent_messages": recent,
            "has_older_messages": has_older,
            "crm": selectors.conversation_crm_card(conversation=conversation),
        }
        return Response(s.ConversationDetailOutput(conversation, context=context).data)

    @extend_schema(methods=["GET"], responses=s.MessageOutput(many=True))
    @extend_schema(methods=["POST"], request=s.HumanMessageInput, responses={201: s.MessageOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=MessageCursorPagination)
    def messages(self, request, pk=None):
        conversation = self.get_object()
        if request.method == "POST":
            text = self.validated(s.HumanMessageInput, request.data)["text"]
            message = services.human_message_send(conversation=conversation, user=request.user, text=text)
            return Response(s.MessageOutput(message).data, status=status.HTTP_201_CREATED)
        paginator = MessageCursorPagination()
        page = paginator.paginate_queryset(
            selectors.conversation_messages(conversation=conversation), request, view=self
        )
        return paginator.get_paginated_response(s.MessageOutput(page, many=True).data)

    def _message(self, pk, message_pk) -> Message:
        conversation = self.get_object()
        return get_object_or_404(selectors.conversation_messages(conversation=conversation), pk=message_pk)

    @extend_schema(request=s.ApproveInput, responses=s.MessageOutput)
    @action(detail=True, methods=["post"], url_path=r"messages/(?P<message_pk>\d+)/approve")
    def approve(self, request, pk=None, message_pk=None):
        message = self._message(pk, message_pk)
        text = self.validated(s.ApproveInput, request.data).get("text")
        return Response(s.MessageOutput(services.reply_approve(message=message, user=request.user, text=text)).data)

    @extend_schema(request=s.RejectInput, responses=s.MessageOutput)
    @action(detail=True, methods=["post"], url_path=r"messages/(?P<message_pk>\d+)/reject")
    def reject(self, request, pk=None, message_pk=None):
        message = self._message(pk, message_pk)
        reason = self.validated(s.RejectInput, request.data).get("reason", "")
        return Response(s.MessageOutput(services.reply_reject(message=message, user=request.user, reason=reason)).data)

    @extend_schema(request=None, responses=s.MessageOutput)
    @action(detail=True, methods=["post"], url_path=r"messages/(?P<message_pk>\d+)/retry")
    def retry(self, request, pk=None, message_pk=None):
        message = self._message(pk, message_pk)
        return Response(s.MessageOutput(services.message_retry(message=message, user=request.user)).data)

    @extend_schema(request=s.HandoffInput, responses=s.ConversationOutput)
    @action(detail=True, methods=["post"])
    def handoff(self, request, pk=None):
        reason = self.validated(s.HandoffInput, request.data).get("reason", "")
        conversation = services.conversation_handoff(conversation=self.get_object(), user=request.user, reason=reason)
        return Response(s.ConversationOutput(conversation).data)

    @extend_schema(request=None, responses=s.ConversationOutput)
    @action(detail=True, methods=["post"], url_path="resume-ai")
    def resume_ai(self, request, pk=None):
        conversation = services.conversation_resume_ai(conversation=self.get_object(), user=request.user)
        return Response(s.ConversationOutput(conversation).data)

    @extend_schema(request=None, responses=s.ConversationOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        conversation = services.conversation_close(conversation=self.get_object(), user=request.user)
        return Response(s.ConversationOutput(conversation).data)

    @extend_schema(request=None, responses=s.ConversationOutput)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return Response(s.ConversationOutput(services.conversation_mark_read(conversation=self.get_object())).data)


@extend_schema(tags=["conversations"])
class PlaygroundViewSet(WorkspaceViewSet):
    """Talk to an agent without any CRM."""

    action_roles = {"chat": Role.MEMBER}

    def scoped_queryset(self):
        return agent_list()

    @extend_schema(request=s.PlaygroundInput, responses={200: s.PlaygroundOutput, 202: s.PlaygroundOutput})
    @action(detail=True, methods=["post"])
    def chat(self, request, pk=None):
        agent = self.get_object()
        data = self.validated(s.PlaygroundInput, request.data)
        conversation = None
        if "conversation_id" in data:
            conversation = get_object_or_404(
                selectors.playground_conversations(agent_id=agent.pk), pk=data["conversation_id"]
            )
        switches = services.PlaygroundSwitches(
            ignore_working_hours=data["ignore_working_hours"], skip_approval=data["skip_approval"]
        )
        message = services.playground_message(
            agent=agent, user=request.user, text=data["text"], conversation=conversation, switches=switches
        )
        reply = None
        if not selectors.processing_deferred(conversation_id=message.conversation_id):
            reply = selectors.reply_wait(message_id=message.pk, timeout_seconds=settings.PLAYGROUND_WAIT_SECONDS)
        conversation = selectors.conversation_list().get(pk=message.conversation_id)
        body = {"conversation": conversation, "message": message, "reply": reply}
        return Response(s.PlaygroundOutput(body).data, status=status.HTTP_200_OK if reply else status.HTTP_202_ACCEPTED)


@extend_schema(tags=["conversations"])
class ApiChannelViewSet(WorkspaceViewSet):
    """The generic API channel: deliver customer messages, get replies by signed webhook."""

    # The channel's configuration (webhook, signing secret) is admins' business, reading included.
    action_roles = {"messages": Role.ADMIN, "channel_settings": Role.ADMIN, "rotate_secret": Role.ADMIN}
    api_key_scopes = {"messages": ApiKeyScope.CHANNEL_API}

    def scoped_queryset(self):
        return selectors.api_channel_settings_list()

    @extend_schema(request=s.IngestInput, responses={201: s.IngestOutput, 200: s.IngestOutput})
    @action(detail=False, methods=["post"])
    def messages(self, request):
        data = self.validated(s.IngestInput, request.data)
        message, created = services.ingest_message(workspace=self.workspace, channel=Channel.API, **data)
        return Response(
            {"message": s.MessageOutput(message).data, "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(methods=["GET"], responses=s.ApiChannelOutput)
    @extend_schema(methods=["PUT"], request=s.ApiChannelInput, responses=s.ApiChannelOutput)
    @action(detail=False, methods=["get", "put"], url_path="settings")
    def channel_settings(self, request):
        row = selectors.api_channel_settings_get()
        if request.method == "PUT":
            url = self.validated(s.ApiChannelInput, request.data)["webhook_url"]
            row = services.api_channel_configure(workspace=self.workspace, webhook_url=url, user=request.user)
        return Response(
            {"webhook_url": row.webhook_url if row else "", "signing_secret": mask(row.signing_secret) if row else ""}
        )

    @extend_schema(request=None, responses=s.ApiChannelOutput)
    @action(detail=False, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request):
        """A new signing secret, shown this once."""
        row = services.api_channel_rotate_secret(workspace=self.workspace, user=request.user)
        return Response({"webhook_url": row.webhook_url, "signing_secret": row.signing_secret})


@extend_schema(tags=["statistics"])
class UnansweredClusterViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    """Customer questions the agent could not ground in the knowledge base, clustered by meaning."""

    serializer_class = s.UnansweredClusterOutput
    action_roles = {"dismiss": Role.MEMBER, "resolve": Role.MEMBER}

    def scoped_queryset(self):
        if self.action != "list" or getattr(self, "swagger_fake_view", False):  # the schema has no request
            return selectors.unanswered_cluster_list()
        query = self.validated(s.UnansweredQuery, self.request.query_params)
        status = "" if query["status"] == "all" else query["status"]
        return selectors.unanswered_cluster_list(first_day=self._period(query["period"])[0], status=status)

    def _period(self, period: str) -> tuple[dt.date | None, dt.datetime | None]:
        """The period's first day and its start: midnight in the workspace's time zone (as the statistics' days)."""
        days = s.UNANSWERED_PERIODS[period]
        if days is None:
            return None, None
        first = workspace_today(workspace=self.workspace) - dt.timedelta(days=days - 1)
        return first, dt.datetime.combine(first, dt.time.min, tzinfo=ZoneInfo(self.workspace.time_zone))

    def _output(self, clusters, period: str = "all"):
        first_day, since = self._period(period)
        ids = [cluster.pk for cluster in clusters]
        details = selectors.unanswered_page_details(cluster_ids=ids, first_day=first_day, since=since)
        return s.UnansweredClusterOutput(clusters, many=True, context=details).data

    @extend_schema(parameters=[s.UnansweredQuery])
    def list(self, request):
        period = self.validated(s.UnansweredQuery, request.query_params)["period"]
        return self.get_paginated_response(self._output(self.paginate_queryset(self.get_queryset()), period))

    @extend_schema(request=None, responses=s.UnansweredClusterOutput)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        cluster = services.unanswered_dismiss(cluster=self.get_object(), user=request.user)
        return Response(self._output([self._counted(cluster)])[0])

    @extend_schema(request=s.UnansweredResolveInput, responses=s.UnansweredClusterOutput)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        article = self.validated(s.UnansweredResolveInput, request.data)["article"]
        cluster = services.unanswered_resolve(cluster=self.get_object(), article_id=article, user=request.user)
        return Response(self._output([self._counted(cluster)])[0])

    def _counted(self, cluster):
        """The cluster as the list shows it (over all time), after a change."""
        return selectors.unanswered_cluster_list().get(pk=cluster.pk)

"""What happened: the user's notifications and the workspace's audit log."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.api.filters import AuditLogFilter, NotificationFilter
from agent_platform.api.pagination import CreatedCursorPagination
from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import Role


@extend_schema_view(
    list=extend_schema(summary="My notifications in the workspace (`?unread=true` for unread only)"),
    destroy=extend_schema(summary="Delete a notification", responses={204: None}),
)
@extend_schema(tags=["notifications"])
class NotificationViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    serializer_class = s.NotificationOutput
    filterset_class = NotificationFilter
    pagination_class = CreatedCursorPagination
    action_roles = {"read": Role.MEMBER, "read_all": Role.MEMBER, "destroy": Role.MEMBER, "unread_count": Role.MEMBER}

    def scoped_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(summary="Mark a notification read", request=None, responses={200: s.NotificationOutput})
    def read(self, request, **kwargs):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(s.NotificationOutput(notification).data)

    @extend_schema(summary="Mark all my notifications read", request=None, responses={200: s.MarkedReadOutput})
    def read_all(self, request, **kwargs):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})

    @extend_schema(summary="How many of my notifications are unread", responses={200: s.UnreadCountOutput})
    def unread_count(self, request, **kwargs):
        return Response({"unread": selectors.notification_unread_count(user=request.user)})

    def destroy(self, request, **kwargs):
        services.notification_delete(notification=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(summary="The workspace's audit log (admins)"))
@extend_schema(tags=["audit"])
class AuditLogViewSet(mixins.ListModelMixin, WorkspaceViewSet):
    serializer_class = s.AuditLogOutput
    filterset_class = AuditLogFilter
    pagination_class = CreatedCursorPagination
    action_roles = {"list": Role.ADMIN}

    def scoped_queryset(self):
        return selectors.audit_log_list()

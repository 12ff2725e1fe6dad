import django_filters

from accounts.models import AuditLog, Notification


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only unread (true) or read"
    )

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class AuditLogFilter(django_filters.FilterSet):
    actor = django_filters.NumberFilter(field_name="actor_id")

    class Meta:
        model = AuditLog
        fields = ["action", "actor", "target_type", "target_id"]

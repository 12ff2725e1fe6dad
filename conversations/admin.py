import json

from django.contrib import admin, messages
from django.utils.html import format_html

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Conversation, Message, ScheduledAction, UnansweredCluster, UnansweredQuestion


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["source_timestamp", "author", "text", "status", "status_reason"]
    readonly_fields = fields
    can_delete = False
    ordering = ["source_timestamp", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return Message.all_workspaces.all()


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "channel", "customer_name", "status", "agent", "unread_count", "last_message_at"]
    list_filter = ["status", "channel"]
    search_fields = ["customer_name", "customer_handle", "external_chat_id", "workspace__name"]
    raw_id_fields = ["workspace", "agent", "created_by"]
    inlines = [MessageInline]

    def get_queryset(self, request):
        return Conversation.objects.unscoped_across_workspaces().select_related("workspace", "agent")


@admin.action(description="Retry the selected failed messages")
def retry_failed(modeladmin, request, queryset):
    retried = 0
    for message in queryset.filter(status=Message.Status.FAILED):
        with workspace_scope(message.workspace_id):
            services.message_retry(message=message, user=request.user)
        retried += 1
    modeladmin.message_user(request, f"{retried} message(s) queued for retry.", messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Every message, with the AI reply's processing trace; filter by status "failed" for the failed list."""

    list_display = ["id", "workspace", "conversation", "author", "short_text", "status", "created_at"]
    list_filter = ["status", "author", "direction", "channel", "failure_stage"]
    search_fields = ["text", "external_id", "status_reason"]
    raw_id_fields = ["workspace", "conversation", "author_user", "reviewed_by"]
    readonly_fields = ["trace_view"]
    actions = [retry_failed]

    def get_queryset(self, request):
        return Message.objects.unscoped_across_workspaces().select_related("workspace")

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]

    @admin.display(description="processing trace")
    def trace_view(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.trace, indent=2, ensure_ascii=False))


@admin.register(ScheduledAction)
class ScheduledActionAdmin(admin.ModelAdmin):
    list_display = ["id", "workspace", "kind", "conversation", "message", "due_at", "status", "finished_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["workspace", "conversation", "message"]

    def get_queryset(self, request):
        return ScheduledAction.objects.unscoped_across_workspaces()


@admin.register(UnansweredCluster)
class UnansweredClusterAdmin(admin.ModelAdmin):
    """Clusters of questions the knowledge base did not answer (the Statistics page's list)."""

    list_display = ["id", "workspace", "title", "question_count", "status", "article", "last_seen_at"]
    list_filter = ["status"]
    search_fields = ["title", "workspace__name"]
    exclude = ["centroid"]
    raw_id_fields = ["workspace", "article", "status_changed_by"]

    def get_queryset(self, request):
        return UnansweredCluster.objects.unscoped_across_workspaces().select_related("workspace", "article")


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    """Each recorded question and its reasons; one with no cluster after a day was never clustered."""

    list_display = ["id", "workspace", "short_text", "reasons", "cluster", "created_at"]
    list_filter = [("cluster", admin.EmptyFieldListFilter)]
    search_fields = ["text"]
    exclude = ["embedding"]
    raw_id_fields = ["workspace", "conversation", "message", "cluster"]

    def get_queryset(self, request):
        return UnansweredQuestion.objects.unscoped_across_workspaces().select_related("workspace")

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]

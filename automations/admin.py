from django.contrib import admin, messages

from agent_platform.tenancy import workspace_scope
from automations.models import (
    Chain,
    ChainRun,
    ChainRunStep,
    ChainStep,
    FieldWrite,
    Trigger,
    TriggerAction,
    TriggerLog,
    TriggerTimer,
)
from automations.services import chain_runs_stop


class TriggerActionInline(admin.TabularInline):
    model = TriggerAction
    extra = 0
    fields = ["order", "kind", "params"]
    ordering = ["order", "id"]

    def get_queryset(self, request):
        return TriggerAction.all_workspaces.all()


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "is_active", "priority", "agent", "stop_ai_reply", "run_limit", "updated_at"]
    list_filter = ["is_active", "stop_ai_reply", "run_limit_scope", "run_limit_period"]
    search_fields = ["name", "description", "workspace__name"]
    raw_id_fields = ["workspace", "agent", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [TriggerActionInline]

    def get_queryset(self, request):
        return Trigger.objects.unscoped_across_workspaces().select_related("workspace", "agent")

    def save_formset(self, request, form, formset, change):
        # The actions belong to the trigger's workspace.
        for obj in formset.save(commit=False):
            obj.workspace_id = form.instance.workspace_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(TriggerLog)
class TriggerLogAdmin(admin.ModelAdmin):
    """Read-only: the log is what happened."""

    list_display = ["created_at", "trigger", "workspace", "event", "outcome", "conversation", "duration_ms"]
    list_filter = ["outcome", "event", "created_at"]
    search_fields = ["trigger__name", "why", "lead_id"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return TriggerLog.objects.unscoped_across_workspaces().select_related("trigger", "workspace")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in TriggerLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TriggerTimer)
class TriggerTimerAdmin(admin.ModelAdmin):
    list_display = ["trigger", "conversation", "workspace", "due_at", "status", "finished_at"]
    list_filter = ["status"]
    raw_id_fields = ["workspace", "trigger", "conversation"]
    readonly_fields = ["created_at", "finished_at"]

    def get_queryset(self, request):
        return TriggerTimer.objects.unscoped_across_workspaces().select_related("trigger", "workspace")


@admin.register(FieldWrite)
class FieldWriteAdmin(admin.ModelAdmin):
    """What the update rules wrote to Kommo: read-only (undo is the product's, through the API)."""

    list_display = ["created_at", "workspace", "conversation", "rule", "entity", "field_name", "status", "confidence"]
    list_filter = ["status", "entity", "field_type", "created_at"]
    search_fields = ["field_name", "quote", "error", "entity_id", "workspace__name"]
    date_hierarchy = "created_at"
    list_select_related = ["workspace", "rule"]
    raw_id_fields = ["conversation", "agent", "rule", "message", "undone_by"]

    def get_queryset(self, request):
        return FieldWrite.all_workspaces.select_related("workspace", "rule")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in FieldWrite._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChainStepInline(admin.StackedInline):
    model = ChainStep
    extra = 0
    fields = [("order", "delay_minutes", "kind"), "template", "ai_instruction"]

    def get_queryset(self, request):
        return ChainStep.all_workspaces.all()


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "is_active", "start_on", "agent", "updated_at"]
    list_filter = ["is_active", "start_on"]
    search_fields = ["name", "description", "workspace__name"]
    raw_id_fields = ["workspace", "agent", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ChainStepInline]

    def get_queryset(self, request):
        return Chain.objects.unscoped_across_workspaces().select_related("workspace", "agent")

    def save_formset(self, request, form, formset, change):
        # Steps belong to the chain's workspace.
        for obj in formset.save(commit=False):
            obj.workspace_id = form.instance.workspace_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class ChainRunStepInline(admin.TabularInline):
    model = ChainRunStep
    extra = 0
    fields = ["step", "scheduled_for", "due_at", "status", "claimed_at", "finished_at", "message", "actions", "error"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return ChainRunStep.all_workspaces.select_related("step")


@admin.register(ChainRun)
class ChainRunAdmin(admin.ModelAdmin):
    list_display = ["id", "chain", "conversation", "workspace", "status", "started_by", "started_at", "finished_at"]
    list_filter = ["status", "started_by"]
    search_fields = ["chain__name", "workspace__name", "stop_reason"]
    readonly_fields = [
        "workspace",
        "chain",
        "conversation",
        "status",
        "started_by",
        "started_by_user",
        "started_by_trigger",
        "stop_reason",
        "started_at",
        "finished_at",
    ]
    inlines = [ChainRunStepInline]
    actions = ["stop"]

    def get_queryset(self, request):
        return ChainRun.objects.unscoped_across_workspaces().select_related("workspace", "chain", "conversation")

    def has_add_permission(self, request):
        return False

    @admin.action(description="Stop the selected active runs")
    def stop(self, request, queryset):
        stopped = 0
        for run in queryset.filter(status=ChainRun.Status.ACTIVE):
            with workspace_scope(run.workspace_id):
                stopped += chain_runs_stop(
                    conversation=run.conversation, chain=run.chain, reason=f"Stopped in the admin by {request.user}"
                )
        self.message_user(request, f"{stopped} run(s) stopped.", messages.SUCCESS)

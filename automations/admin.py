from django.contrib import admin, messages

from agent_platform.tenancy import workspace_scope
from automations.models import Chain, ChainRun, ChainRunStep, ChainStep
from automations.services import chain_runs_stop


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

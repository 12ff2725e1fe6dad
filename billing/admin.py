from django.contrib import admin

from billing.models import ActivityDaily, AIBudget, UsageDaily, UsageEvent


@admin.register(UsageEvent)
class UsageEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "workspace",
        "purpose",
        "provider",
        "model_id",
        "status",
        "input_tokens",
        "output_tokens",
        "cost",
        "latency_ms",
        "error_code",
    )
    list_filter = ("status", "purpose", "provider")
    search_fields = ("model_id", "request_id", "error_code")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return UsageEvent.objects.unscoped_across_workspaces().select_related("workspace")


@admin.register(UsageDaily)
class UsageDailyAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "workspace",
        "agent_id",
        "provider",
        "model_id",
        "calls",
        "failures",
        "input_tokens",
        "output_tokens",
        "cost",
    )
    list_filter = ("provider",)
    date_hierarchy = "date"

    def get_queryset(self, request):
        return UsageDaily.objects.unscoped_across_workspaces().select_related("workspace")


@admin.register(AIBudget)
class AIBudgetAdmin(admin.ModelAdmin):
    list_display = ("workspace", "monthly_limit", "limit_kind", "hard_stop", "warned_month", "exhausted_month")

    def get_queryset(self, request):
        return AIBudget.objects.unscoped_across_workspaces().select_related("workspace")


@admin.register(ActivityDaily)
class ActivityDailyAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "workspace",
        "agent_id",
        "conversations_started",
        "ai_replies",
        "approvals_approved",
        "approvals_rejected",
        "handoffs",
        "first_response_count",
        "trigger_fires",
        "chain_runs_started",
        "field_writes",
    )
    date_hierarchy = "date"
    readonly_fields = ("first_response_histogram",)

    def get_queryset(self, request):
        return ActivityDaily.objects.unscoped_across_workspaces().select_related("workspace")

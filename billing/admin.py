from django.contrib import admin, messages

from agent_platform.errors import DomainError
from billing.models import ActivityDaily, AIBudget, Plan, QuotaCounter, UsageDaily, UsageEvent, WorkspacePlan
from billing.services import plan_save, plan_sync_to_stripe, workspace_plan_set


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


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "monthly_price",
        "currency",
        "ai_replies_per_month",
        "agents",
        "kb_storage_mb",
        "seats",
        "channels",
        "overage_policy",
        "is_default",
        "is_public",
        "sort_order",
    )
    list_editable = ("sort_order",)
    prepopulated_fields = {"code": ("name",)}
    readonly_fields = ("stripe_product_id", "stripe_price_id")
    actions = ("sync_to_stripe",)

    def save_model(self, request, obj, form, change):
        plan_save(plan=obj)  # drops the workspaces' cached plan-and-usage reads

    @admin.action(description="Sync the selected paid plans to Stripe (products and prices)")
    def sync_to_stripe(self, request, queryset):
        try:
            changed = {plan.code: plan_sync_to_stripe(plan=plan) for plan in queryset.filter(monthly_price__gt=0)}
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
            return
        made = sum(1 for c in changed.values() if c["product"] or c["price"])
        self.message_user(request, f"{len(changed)} plan(s) synced to Stripe, {made} changed there.")


@admin.register(WorkspacePlan)
class WorkspacePlanAdmin(admin.ModelAdmin):
    """Which plan a workspace is on (Stripe's webhooks will set it once checkout exists)."""

    list_display = ("workspace", "plan", "updated_at")
    list_filter = ("plan",)
    autocomplete_fields = ("workspace",)

    def get_queryset(self, request):
        return WorkspacePlan.objects.unscoped_across_workspaces().select_related("workspace", "plan")

    def save_model(self, request, obj, form, change):
        # Through the service: it keeps one row per workspace and drops the cached plan-and-usage read.
        obj.pk = workspace_plan_set(workspace=obj.workspace, plan=obj.plan).pk


@admin.register(QuotaCounter)
class QuotaCounterAdmin(admin.ModelAdmin):
    list_display = ("workspace", "metric", "period_start", "used", "warned", "exhausted")
    list_filter = ("metric", "period_start")
    readonly_fields = ("workspace", "metric", "period_start", "used", "warned", "exhausted")

    def get_queryset(self, request):
        return QuotaCounter.objects.unscoped_across_workspaces().select_related("workspace")

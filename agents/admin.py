from django.contrib import admin

from agents.models import (
    Agent,
    AgentChannel,
    AgentCrmField,
    AgentKnowledgeCategory,
    AgentPipeline,
    AgentVersion,
    UpdateRule,
)


class _Inline(admin.TabularInline):
    extra = 0

    def get_queryset(self, request):
        return self.model.all_workspaces.all()


class PipelineInline(_Inline):
    model = AgentPipeline
    fields = ["pipeline_id", "stage_ids"]


class ChannelInline(_Inline):
    model = AgentChannel
    fields = ["channel"]


class KnowledgeInline(_Inline):
    model = AgentKnowledgeCategory
    fields = ["category"]
    raw_id_fields = ["category"]


class CrmFieldInline(_Inline):
    model = AgentCrmField
    fields = ["entity", "field_id", "field_code", "field_name", "field_type", "can_read", "can_write"]


class UpdateRuleInline(admin.StackedInline):
    model = UpdateRule
    extra = 0
    fields = [
        ("name", "is_active", "order"),
        "instruction",
        ("entity", "field_id", "field_code", "field_type"),
        "enum_options",
        "overwrite",
    ]

    def get_queryset(self, request):
        return UpdateRule.all_workspaces.all()


class VersionInline(admin.TabularInline):
    model = AgentVersion
    extra = 0
    fields = ["number", "reason", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return AgentVersion.all_workspaces.select_related("created_by")


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "workspace",
        "is_active",
        "model_provider",
        "model_id",
        "approval_required",
        "version",
        "updated_at",
    ]
    list_filter = ["is_active", "model_provider", "approval_required", "language"]
    search_fields = ["name", "description", "workspace__name"]
    raw_id_fields = ["workspace"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [PipelineInline, ChannelInline, KnowledgeInline, CrmFieldInline, UpdateRuleInline, VersionInline]

    def get_queryset(self, request):
        return Agent.objects.unscoped_across_workspaces().select_related("workspace")

    def save_formset(self, request, form, formset, change):
        # Inline rows belong to the agent's workspace.
        for obj in formset.save(commit=False):
            obj.workspace_id = form.instance.workspace_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

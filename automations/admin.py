from django.contrib import admin

from automations.models import FieldWrite


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

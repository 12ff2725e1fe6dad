from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import services
from accounts.models import ApiKey, AuditLog, Invitation, Membership, Notification, User, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "workspace"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "email_verified_at", "is_staff", "date_joined", "last_login"]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "language",
        ("email_verified_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "name"]
    readonly_fields = ["date_joined", "last_login", "email_verified_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "language", "time_zone", "avatar", "preferences", "email_verified_at"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["date_joined", "last_login"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["time_zone"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workspace", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "workspace__name"]
    autocomplete_fields = ["user", "workspace"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "user", "workspace", "read_at", "emailed_at", "created_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "user__email", "workspace__name"]
    raw_id_fields = ["user", "workspace"]

    def get_queryset(self, request):
        return Notification.objects.unscoped_across_workspaces().select_related("user", "workspace")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "actor_email", "action", "target_type", "target_id", "workspace", "ip_address"]
    list_filter = ["action", "target_type", ("workspace", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["actor_email", "action", "target_id", "target_repr", "ip_address"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return AuditLog.objects.unscoped_across_workspaces().select_related("workspace")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "workspace", "role", "invited_by", "expires_at", "accepted_at", "created_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "workspace__name"]
    raw_id_fields = ["workspace", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash"]

    def get_queryset(self, request):
        return Invitation.objects.unscoped_across_workspaces().select_related("workspace", "invited_by")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued through the API (the plaintext exists only there); here they are seen and revoked."""

    list_display = ["name", "prefix", "workspace", "scopes", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "workspace__name"]
    fields = ["name", "workspace", "prefix", "scopes", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["workspace", "prefix", "scopes", "created_by", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return ApiKey.objects.unscoped_across_workspaces().select_related("workspace", "created_by")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset) -> None:
        for key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(key=key, actor=request.user)

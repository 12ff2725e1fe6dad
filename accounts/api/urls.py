from django.urls import path

from accounts.api import views

app_name = "accounts"

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="register"),
    path("auth/login", views.LoginView.as_view(), name="login"),
    path("auth/logout", views.LogoutView.as_view(), name="logout"),
    path("auth/refresh", views.RefreshView.as_view(), name="refresh"),
    path("auth/forgot-password", views.ForgotPasswordView.as_view(), name="forgot-password"),
    path("auth/reset-password", views.ResetPasswordView.as_view(), name="reset-password"),
    path("auth/verify-email", views.VerifyEmailView.as_view(), name="verify-email"),
    path("auth/verify-email/resend", views.VerifyEmailResendView.as_view(), name="verify-email-resend"),
    path("user/profile", views.ProfileView.as_view(), name="profile"),
    path("user/avatar", views.AvatarView.as_view(), name="avatar"),
    path("user/settings", views.SettingsView.as_view(), name="settings"),
    path("user/password", views.PasswordChangeView.as_view(), name="password"),
    path("workspaces", views.WorkspaceListView.as_view(), name="workspaces"),
    path(
        "workspaces/<int:workspace_id>/members",
        views.MemberViewSet.as_view({"get": "list"}),
        name="members",
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:pk>",
        views.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member",
    ),
    path("workspaces/<int:workspace_id>/leave", views.MemberViewSet.as_view({"post": "leave"}), name="leave"),
    path(
        "workspaces/<int:workspace_id>/invitations",
        views.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitations",
    ),
    path(
        "workspaces/<int:workspace_id>/invitations/<int:pk>",
        views.InvitationViewSet.as_view({"delete": "destroy"}),
        name="invitation",
    ),
    path(
        "workspaces/<int:workspace_id>/api-keys",
        views.ApiKeyViewSet.as_view({"get": "list", "post": "create"}),
        name="api-keys",
    ),
    path(
        "workspaces/<int:workspace_id>/api-keys/<int:pk>",
        views.ApiKeyViewSet.as_view({"delete": "destroy"}),
        name="api-key",
    ),
    path("invitations/accept", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("notifications", views.NotificationViewSet.as_view({"get": "list"}), name="notifications"),
    path(
        "notifications/read-all", views.NotificationViewSet.as_view({"post": "read_all"}), name="notifications-read-all"
    ),
    path("notifications/<int:pk>", views.NotificationViewSet.as_view({"delete": "destroy"}), name="notification"),
    path("notifications/<int:pk>/read", views.NotificationViewSet.as_view({"patch": "read"}), name="notification-read"),
    path("audit-log", views.AuditLogViewSet.as_view({"get": "list"}), name="audit-log"),
]

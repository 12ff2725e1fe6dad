from django.urls import path

from accounts.api.views import activity, auth, team, users

app_name = "accounts"

urlpatterns = [
    path("auth/register", auth.RegisterView.as_view(), name="register"),
    path("auth/login", auth.LoginView.as_view(), name="login"),
    path("auth/logout", auth.LogoutView.as_view(), name="logout"),
    path("auth/refresh", auth.RefreshView.as_view(), name="refresh"),
    # The SPA's cookie endpoints: the cookie's Path (session_cookie.COOKIE_PATH) is their prefix.
    path("auth/session/refresh", auth.SessionRefreshView.as_view(), name="session-refresh"),
    path("auth/session/logout", auth.SessionLogoutView.as_view(), name="session-logout"),
    path("auth/forgot-password", auth.ForgotPasswordView.as_view(), name="forgot-password"),
    path("auth/reset-password", auth.ResetPasswordView.as_view(), name="reset-password"),
    path("auth/verify-email", auth.VerifyEmailView.as_view(), name="verify-email"),
    path("auth/verify-email/resend", auth.VerifyEmailResendView.as_view(), name="verify-email-resend"),
    path("user/profile", users.ProfileView.as_view(), name="profile"),
    path("user/avatar", users.AvatarView.as_view(), name="avatar"),
    path("user/settings", users.SettingsView.as_view(), name="settings"),
    path("user/password", users.PasswordChangeView.as_view(), name="password"),
    path("workspaces", team.WorkspaceListView.as_view(), name="workspaces"),
    path(
        "workspaces/<int:workspace_id>",
        team.WorkspaceDetailViewSet.as_view({"patch": "partial_update"}),
        name="workspace",
    ),
    path(
        "workspaces/<int:workspace_id>/members",
        team.MemberViewSet.as_view({"get": "list"}),
        name="members",
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:pk>",
        team.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member",
    ),
    path("workspaces/<int:workspace_id>/leave", team.MemberViewSet.as_view({"post": "leave"}), name="leave"),
    path(
        "workspaces/<int:workspace_id>/invitations",
        team.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitations",
    ),
    path(
        "workspaces/<int:workspace_id>/invitations/<int:pk>",
        team.InvitationViewSet.as_view({"delete": "destroy"}),
        name="invitation",
    ),
    path(
        "workspaces/<int:workspace_id>/api-keys",
        team.ApiKeyViewSet.as_view({"get": "list", "post": "create"}),
        name="api-keys",
    ),
    path(
        "workspaces/<int:workspace_id>/api-keys/<int:pk>",
        team.ApiKeyViewSet.as_view({"delete": "destroy"}),
        name="api-key",
    ),
    path("invitations/accept", team.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("notifications", activity.NotificationViewSet.as_view({"get": "list"}), name="notifications"),
    path(
        "notifications/read-all",
        activity.NotificationViewSet.as_view({"post": "read_all"}),
        name="notifications-read-all",
    ),
    path(
        "notifications/unread-count",
        activity.NotificationViewSet.as_view({"get": "unread_count"}),
        name="notifications-unread-count",
    ),
    path("notifications/<int:pk>", activity.NotificationViewSet.as_view({"delete": "destroy"}), name="notification"),
    path(
        "notifications/<int:pk>/read", activity.NotificationViewSet.as_view({"patch": "read"}), name="notification-read"
    ),
    path("audit-log", activity.AuditLogViewSet.as_view({"get": "list"}), name="audit-log"),
]

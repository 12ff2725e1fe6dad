from django.urls import path

from accounts.api import views

app_name = "accounts"

urlpatterns = [
    path("auth/login", views.LoginView.as_view(), name="login"),
    path("auth/refresh", views.RefreshView.as_view(), name="refresh"),
    path("workspaces", views.WorkspaceListView.as_view(), name="workspaces"),
]

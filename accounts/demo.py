"""Demo data for a new install: a demo workspace and a demo login (printed by `seed_demo`)."""

from __future__ import annotations

import os

from django.utils import timezone

from accounts.models import Membership, User, Workspace
from accounts.services import workspace_create

DEMO_EMAIL = "demo@example.com"
DEMO_WORKSPACE = "Demo Workspace"


def seed() -> dict:
    password = os.environ.get("DEMO_PASSWORD", "demo-password-2026")
    user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=DEMO_EMAIL, password=password, name="Demo Owner")
    # The demo login is also the back-office (admin) login of a local install.
    user.is_staff = user.is_superuser = True
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.set_password(password)
    user.save()
    membership = (
        Membership.objects.filter(user=user, workspace__name=DEMO_WORKSPACE).select_related("workspace").first()
    )
    workspace = membership.workspace if membership else workspace_create(name=DEMO_WORKSPACE, owner=user)
    return {"workspace": workspace, "user": user, "password": password}


__all__ = ["Workspace", "seed"]

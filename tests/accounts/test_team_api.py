"""Workspaces, members and invitations: the role matrix and tenancy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditLog, Invitation, Membership, Notification
from agent_platform.tenancy import workspace_scope
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import link_token
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def members_url(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}/members"


def invitations_url(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}/invitations"


def membership(workspace, user) -> Membership:
    return Membership.objects.get(workspace=workspace, user=user)


class WorkspaceTests:
    def test_list_and_create_workspaces(self, owner, workspace, other_workspace):
        client = client_for(owner)
        assert [w["name"] for w in client.get("/api/workspaces").json()] == ["Acme"]
        created = client.post("/api/workspaces", {"name": "Second shop", "time_zone": "Europe/Madrid"})
        assert created.status_code == 201 and created.json()["role"] == "owner"
        assert {w["name"] for w in client.get("/api/workspaces").json()} == {"Acme", "Second shop"}

    def test_bad_time_zone_is_refused(self, owner):
        response = client_for(owner).post("/api/workspaces", {"name": "X", "time_zone": "Mars/Olympus"})
        assert response.status_code == 400 and "time_zone" in response.json()["errors"]


class RoleMatrixTests:
    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("member", (200, 403, 403, 403, 403)),
            ("admin", (200, 403, 403, 403, 403)),
            ("owner", (200, 200, 201, 200, 204)),
            ("stranger", (404, 404, 404, 404, 404)),
        ],
    )
    def test_role_matrix(self, request, workspace, owner, admin, member, stranger, who, expected):
        client = client_for(request.getfixturevalue(who))
        target = membership(workspace, member) if who != "member" else membership(workspace, admin)
        codes = {
            "list_members": client.get(members_url(workspace)).status_code,
            "change_role": client.patch(f"{members_url(workspace)}/{target.pk}", {"role": "admin"}).status_code,
            "invite": client.post(invitations_url(workspace), {"email": "new@example.com"}).status_code,
            "list_invitations": client.get(invitations_url(workspace)).status_code,
            "remove": client.delete(f"{members_url(workspace)}/{target.pk}").status_code,
        }
        assert tuple(codes.values()) == expected, codes

    def test_forbidden_is_a_problem_with_a_code(self, workspace, member, admin):
        response = client_for(member).patch(
            f"{members_url(workspace)}/{membership(workspace, admin).pk}", {"role": "member"}
        )
        assert response["Content-Type"] == "application/problem+json"

    def test_another_workspaces_member_id_is_not_found(self, workspace, owner, other_workspace, stranger):
        foreign = membership(other_workspace, stranger)
        response = client_for(owner).delete(f"{members_url(workspace)}/{foreign.pk}")
        assert response.status_code == 404
        assert Membership.objects.filter(pk=foreign.pk).exists()


class LastOwnerTests:
    def test_last_owner_cannot_leave_be_demoted_or_removed(self, workspace, owner):
        client = client_for(owner)
        mine = membership(workspace, owner)
        assert client.post(f"/api/workspaces/{workspace.pk}/leave").json()["code"] == "last_owner"
        assert client.patch(f"{members_url(workspace)}/{mine.pk}", {"role": "admin"}).json()["code"] == "last_owner"
        assert client.delete(f"{members_url(workspace)}/{mine.pk}").status_code == 409
        assert membership(workspace, owner).role == "owner"

    def test_an_owner_can_leave_once_there_is_another(self, workspace, owner, admin):
        client = client_for(owner)
        client.patch(f"{members_url(workspace)}/{membership(workspace, admin).pk}", {"role": "owner"})
        assert client.post(f"/api/workspaces/{workspace.pk}/leave").status_code == 204
        assert not Membership.objects.filter(workspace=workspace, user=owner).exists()

    def test_a_member_can_leave(self, workspace, member):
        assert client_for(member).post(f"/api/workspaces/{workspace.pk}/leave").status_code == 204

    def test_role_change_is_audited_with_before_and_after(self, workspace, owner, member):
        client_for(owner).patch(f"{members_url(workspace)}/{membership(workspace, member).pk}", {"role": "admin"})
        with workspace_scope(workspace.pk):
            entry = AuditLog.objects.get(action="membership.role_changed")
        assert entry.changes == {"role": ["member", "admin"]} and entry.actor == owner


class InvitationTests:
    def invite(self, owner, workspace, capture, email="guest@example.com", role="admin"):
        with capture(execute=True):
            response = client_for(owner).post(invitations_url(workspace), {"email": email, "role": role})
        assert response.status_code == 201, response.content
        return link_token(mail.outbox[-1], "/invitations/accept")

    def test_invite_accept_joins_with_the_role_once(self, owner, workspace, django_capture_on_commit_callbacks):
        token = self.invite(owner, workspace, django_capture_on_commit_callbacks)
        assert mail.outbox[-1].subject == "Invitation to Acme"
        guest = UserFactory(prefix="guest", verified=True)
        guest.email = "guest@example.com"
        guest.save()
        accepted = client_for(guest).post("/api/invitations/accept", {"token": token})
        assert accepted.status_code == 200 and accepted.json()["role"] == "admin"
        assert membership(workspace, guest).role == "admin"
        again = client_for(guest).post("/api/invitations/accept", {"token": token})
        assert again.json()["code"] == "invitation_invalid"
        with workspace_scope(workspace.pk):
            assert Notification.objects.filter(user=owner, kind="member_joined").exists()

    def test_invitation_for_someone_else_or_expired_is_refused(
        self, owner, workspace, stranger, django_capture_on_commit_callbacks
    ):
        token = self.invite(owner, workspace, django_capture_on_commit_callbacks)
        assert client_for(stranger).post("/api/invitations/accept", {"token": token}).json()["code"] == (
            "invitation_email_mismatch"
        )
        with workspace_scope(workspace.pk):
            Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        guest = UserFactory(verified=True)
        guest.email = "guest@example.com"
        guest.save()
        assert client_for(guest).post("/api/invitations/accept", {"token": token}).json()["code"] == (
            "invitation_invalid"
        )

    def test_forged_workspace_part_of_the_token_finds_nothing(
        self, owner, workspace, other_workspace, django_capture_on_commit_callbacks
    ):
        token = self.invite(owner, workspace, django_capture_on_commit_callbacks)
        forged = f"{other_workspace.pk}.{token.split('.', 1)[1]}"
        guest = UserFactory(verified=True)
        guest.email = "guest@example.com"
        guest.save()
        assert client_for(guest).post("/api/invitations/accept", {"token": forged}).json()["code"] == (
            "invitation_invalid"
        )

    def test_inviting_a_member_conflicts_and_revoking_works(
        self, owner, workspace, member, django_capture_on_commit_callbacks
    ):
        client = client_for(owner)
        assert (
            client.post(invitations_url(workspace), {"email": member.email.upper()}).json()["code"] == "member_exists"
        )
        self.invite(owner, workspace, django_capture_on_commit_callbacks)
        [pending] = client.get(invitations_url(workspace)).json()
        assert pending["email"] == "guest@example.com"
        assert client.delete(f"{invitations_url(workspace)}/{pending['id']}").status_code == 204
        assert client.get(invitations_url(workspace)).json() == []

    def test_other_workspace_invitations_are_invisible(
        self, owner, workspace, other_workspace, django_capture_on_commit_callbacks
    ):
        other_owner = other_workspace.memberships.get().user
        self.invite(other_owner, other_workspace, django_capture_on_commit_callbacks)
        with workspace_scope(other_workspace.pk):
            foreign = Invitation.objects.get()
        assert client_for(owner).delete(f"{invitations_url(workspace)}/{foreign.pk}").status_code == 404
        assert client_for(owner).get(invitations_url(other_workspace)).status_code == 404

    def test_invitation_email_in_the_invitees_language(self, owner, workspace, django_capture_on_commit_callbacks):
        UserFactory(prefix="ru", verified=True, language="ru")
        from accounts.models import User

        russian = User.objects.get(language="ru")
        self.invite(owner, workspace, django_capture_on_commit_callbacks, email=russian.email)
        assert mail.outbox[-1].subject == "Приглашение в Acme"

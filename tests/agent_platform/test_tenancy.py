import pytest
from rest_framework import mixins

from agent_platform.api.viewsets import WorkspaceViewSet
from agent_platform.tenancy import TenantScopeMismatch, TenantScopeMissing, workspace_scope
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.conftest import client_for
from tests.sample.models import Note, Tag

pytestmark = pytest.mark.django_db

NOTES = "/api/sample/notes"


@pytest.fixture
def notes(workspace, other_workspace):
    with workspace_scope(workspace.pk):
        mine = Note.objects.create(workspace=workspace, title="mine")
    with workspace_scope(other_workspace.pk):
        theirs = Note.objects.create(workspace=other_workspace, title="theirs")
        their_tag = Tag.objects.create(workspace=other_workspace, name="foreign")
    return mine, theirs, their_tag


class ManagerTests:
    def test_unscoped_query_raises(self, notes):
        with pytest.raises(TenantScopeMissing):
            list(Note.objects.all())
        with pytest.raises(TenantScopeMissing):
            Note.objects.filter(title="mine").exists()

    def test_scope_filters_to_the_active_workspace(self, notes, workspace, other_workspace):
        _, theirs, _ = notes
        with workspace_scope(workspace.pk):
            assert list(Note.objects.values_list("title", flat=True)) == ["mine"]
            assert not Note.objects.filter(pk=theirs.pk).exists()
        with workspace_scope(other_workspace.pk):
            assert list(Note.objects.values_list("title", flat=True)) == ["theirs"]

    def test_escape_hatch_sees_every_workspace(self, notes):
        assert Note.objects.unscoped_across_workspaces().count() == 2

    def test_saving_another_workspaces_row_inside_a_scope_raises(self, notes, workspace):
        _, theirs, _ = notes
        theirs.title = "hijacked"
        with workspace_scope(workspace.pk), pytest.raises(TenantScopeMismatch):
            theirs.save()

    def test_new_rows_take_the_active_workspace(self, workspace):
        with workspace_scope(workspace.pk):
            note = Note(title="implicit")
            note.save()
        assert note.workspace_id == workspace.pk

    def test_scope_is_restored_after_the_block(self, workspace, other_workspace):
        with workspace_scope(workspace.pk):
            with workspace_scope(other_workspace.pk):
                pass
            Note.objects.create(title="outer")
        with pytest.raises(TenantScopeMissing):
            Note.objects.count()


class ViewSetContractTests:
    def test_overriding_get_queryset_is_refused(self):
        with pytest.raises(TypeError, match="get_queryset"):

            class Leaky(mixins.ListModelMixin, WorkspaceViewSet):
                def get_queryset(self):
                    return Note.all_workspaces.all()

    def test_overriding_get_permissions_is_refused(self):
        with pytest.raises(TypeError, match="get_permissions"):

            class Open(WorkspaceViewSet):
                def get_permissions(self):
                    return []


class ApiIsolationTests:
    def test_list_shows_only_my_workspace(self, notes, owner_client):
        response = owner_client.get(NOTES)
        assert response.status_code == 200
        assert [row["title"] for row in response.json()["results"]] == ["mine"]

    @pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
    def test_another_workspaces_object_is_404(self, notes, owner_client, method):
        _, theirs, _ = notes
        response = getattr(owner_client, method)(f"{NOTES}/{theirs.pk}", {"title": "x"}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert Note.objects.unscoped_across_workspaces().get(pk=theirs.pk).title == "theirs"

    def test_stranger_gets_404_for_my_objects(self, notes, stranger_client):
        mine, _, _ = notes
        assert stranger_client.get(f"{NOTES}/{mine.pk}").status_code == 404

    def test_stranger_naming_my_workspace_gets_404(self, notes, stranger, workspace):
        response = client_for(stranger, workspace).get(NOTES)
        assert response.status_code == 404
        assert response.json()["code"] == "workspace_not_found"

    def test_scoped_relation_field_rejects_a_foreign_id(self, notes, owner_client):
        _, _, their_tag = notes
        response = owner_client.post(NOTES, {"title": "n", "tag": their_tag.pk}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "validation_error"
        assert "tag" in body["errors"]
        assert "foreign" not in response.content.decode()

    def test_scoped_relation_field_accepts_my_id(self, workspace, owner_client):
        with workspace_scope(workspace.pk):
            tag = Tag.objects.create(name="mine")
        response = owner_client.post(NOTES, {"title": "n", "tag": tag.pk}, format="json")
        assert response.status_code == 201, response.json()
        with workspace_scope(workspace.pk):
            assert Note.objects.get(pk=response.json()["id"]).tag_id == tag.pk

    def test_created_rows_belong_to_the_request_workspace(self, workspace, owner_client):
        response = owner_client.post(NOTES, {"title": "new"}, format="json")
        assert response.status_code == 201
        assert Note.objects.unscoped_across_workspaces().get(pk=response.json()["id"]).workspace_id == workspace.pk


class WorkspaceResolutionTests:
    def test_user_with_several_workspaces_must_choose(self, owner, workspace, notes):
        second = WorkspaceFactory(name="Second", owner=owner)
        response = client_for(owner).get(NOTES)
        assert response.status_code == 400
        assert response.json()["code"] == "workspace_required"
        assert client_for(owner, workspace).get(NOTES).json()["count"] == 1
        assert client_for(owner, second).get(NOTES).json()["count"] == 0

    def test_malformed_workspace_header(self, owner_client, workspace):
        response = owner_client.get(NOTES, HTTP_X_WORKSPACE="acme")
        assert response.status_code == 400
        assert response.json()["code"] == "workspace_header_invalid"

    def test_user_without_workspace_gets_404(self, db):
        response = client_for(UserFactory(prefix="lonely")).get(NOTES)
        assert response.status_code == 404
        assert response.json()["code"] == "workspace_not_found"


class RoleTests:
    def test_member_reads_and_creates_but_cannot_delete(self, workspace, member_client):
        created = member_client.post(NOTES, {"title": "by member"}, format="json")
        assert created.status_code == 201
        assert member_client.get(NOTES).status_code == 200
        response = member_client.delete(f"{NOTES}/{created.json()['id']}")
        assert response.status_code == 403
        assert response.json()["code"] == "role_forbidden"

    def test_member_cannot_configure(self, workspace, member_client):
        created = member_client.post(NOTES, {"title": "by member"}, format="json").json()
        response = member_client.patch(f"{NOTES}/{created['id']}", {"title": "renamed"}, format="json")
        assert response.status_code == 403

    def test_admin_configures_but_only_owner_deletes(self, workspace, admin, owner_client):
        admin_client = client_for(admin)
        created = admin_client.post(NOTES, {"title": "a"}, format="json").json()
        assert admin_client.patch(f"{NOTES}/{created['id']}", {"title": "b"}, format="json").status_code == 200
        assert admin_client.delete(f"{NOTES}/{created['id']}").status_code == 403
        assert owner_client.delete(f"{NOTES}/{created['id']}").status_code == 204


class WorkspaceTaskTests:
    def test_task_body_runs_in_its_workspace_scope(self, notes, workspace):
        from tests.sample.tasks import note_rename_task

        mine, theirs, _ = notes
        assert note_rename_task(workspace.pk, mine.pk, "renamed") == 1
        assert note_rename_task(workspace.pk, theirs.pk, "stolen") == 0
        assert Note.objects.unscoped_across_workspaces().get(pk=theirs.pk).title == "theirs"

"""Notifications: the API (mine only, in my workspace) and notify()'s channels (in-app, email)."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notification_emails_recover, notify
from accounts.tasks import notification_email_task
from agent_platform.tenancy import workspace_scope
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/notifications"


@pytest.fixture
def notes(workspace, owner, member, other_workspace, stranger):
    mine = notify(workspace=workspace, kind="approval_requested", title="Mine 1", users=[member])
    mine += notify(workspace=workspace, kind="approval_requested", title="Mine 2", users=[member])
    owners = notify(workspace=workspace, kind="approval_requested", title="Owner's", users=[owner])
    foreign = notify(workspace=other_workspace, kind="approval_requested", title="Foreign", users=[stranger])
    return mine, owners[0], foreign[0]


class NotificationApiTests:
    def test_list_shows_only_my_notifications_newest_first(self, member, notes):
        body = client_for(member).get(URL).json()
        assert [n["title"] for n in body["results"]] == ["Mine 2", "Mine 1"]

    def test_read_unread_filter_and_read_all(self, member, notes):
        client = client_for(member)
        first = notes[0][0]
        read = client.patch(f"{URL}/{first.pk}/read")
        assert read.status_code == 200 and read.json()["read_at"]
        assert [n["title"] for n in client.get(URL, {"unread": "true"}).json()["results"]] == ["Mine 2"]
        assert client.post(f"{URL}/read-all").json() == {"updated": 1}
        assert client.get(URL, {"unread": "true"}).json()["results"] == []

    def test_unread_count_counts_only_my_unread_ones_here(self, member, owner, stranger, notes):
        client = client_for(member)
        assert client.get(f"{URL}/unread-count").json() == {"unread": 2}
        client.patch(f"{URL}/{notes[0][0].pk}/read")
        assert client.get(f"{URL}/unread-count").json() == {"unread": 1}
        assert client_for(owner).get(f"{URL}/unread-count").json() == {"unread": 1}
        assert client_for(stranger).get(f"{URL}/unread-count").json() == {"unread": 1}  # their own workspace's
        outsider = client_for(stranger).get(f"{URL}/unread-count", HTTP_X_WORKSPACE=str(notes[1].workspace_id))
        assert outsider.status_code == 404

    def test_delete(self, member, notes):
        client = client_for(member)
        assert client.delete(f"{URL}/{notes[0][0].pk}").status_code == 204
        assert len(client.get(URL).json()["results"]) == 1

    def test_other_users_and_other_workspaces_notifications_are_not_found(self, member, stranger, notes):
        _, owners, foreign = notes
        client = client_for(member)
        for notification in (owners, foreign):
            assert client.patch(f"{URL}/{notification.pk}/read").status_code == 404
            assert client.delete(f"{URL}/{notification.pk}").status_code == 404
        assert Notification.objects.unscoped_across_workspaces().filter(pk__in=[owners.pk, foreign.pk]).count() == 2
        # A stranger asking for our workspace explicitly gets 404 too.
        assert client_for(stranger).get(URL, HTTP_X_WORKSPACE=str(owners.workspace_id)).status_code == 404

    def test_anonymous_is_refused(self, notes):
        assert client_for(None).get(URL).status_code == 401


class NotifyChannelTests:
    def test_email_is_queued_only_for_those_who_want_it(
        self, workspace, owner, admin, django_capture_on_commit_callbacks
    ):
        owner.preferences = {"notifications": {"approval_requested": {"email": True}}}
        owner.save()
        with (
            mock.patch("agent_platform.celery.app.send_task") as send_task,
            django_capture_on_commit_callbacks(execute=True),
        ):
            created = notify(workspace=workspace, kind="approval_requested", title="A reply waits")
        mine = next(n for n in created if n.user_id == owner.pk)
        send_task.assert_called_once_with(
            "accounts.tasks.notification_email_task", args=(workspace.pk, mine.pk), countdown=None, ignore_result=True
        )

    def test_task_sends_the_email_once_in_the_users_language(self, workspace, owner):
        owner.language = "ru"
        owner.preferences = {"notifications": {"approval_requested": {"email": True}}}
        owner.save()
        [notification] = notify(workspace=workspace, kind="approval_requested", title="Ответ ждёт", users=[owner])
        notification_email_task(workspace.pk, notification.pk)
        notification_email_task(workspace.pk, notification.pk)  # a redelivery sends nothing more
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject == "Ответ ждёт"
        assert "Открыть платформу" in mail.outbox[0].body
        with workspace_scope(workspace.pk):
            assert Notification.objects.get().emailed_at is not None

    def test_emails_whose_task_was_lost_are_queued_again_for_an_hour(
        self, workspace, owner, admin, django_capture_on_commit_callbacks
    ):
        owner.preferences = {"notifications": {"approval_requested": {"email": True}}}
        owner.save()
        created = notify(workspace=workspace, kind="approval_requested", title="A reply waits")
        lost = next(n for n in created if n.user_id == owner.pk)
        assert {n.user_id for n in created} == {owner.pk, admin.pk}  # the admin wants no email: never queued
        rows = Notification.objects.unscoped_across_workspaces()
        with mock.patch("agent_platform.celery.app.send_task") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                assert notification_emails_recover() == 0  # its own task may still run
            rows.update(created_at=timezone.now() - timedelta(minutes=15))
            with django_capture_on_commit_callbacks(execute=True):
                assert notification_emails_recover() == 1
            send_task.assert_called_once_with(
                "accounts.tasks.notification_email_task",
                args=(workspace.pk, lost.pk),
                countdown=None,
                ignore_result=True,
            )
            rows.update(created_at=timezone.now() - timedelta(minutes=61))
            assert notification_emails_recover() == 0  # given up: not a retry loop
        rows.update(created_at=timezone.now() - timedelta(minutes=15))
        notification_email_task(workspace.pk, lost.pk)
        assert len(mail.outbox) == 1
        assert notification_emails_recover() == 0  # sent

    def test_task_is_routed_to_the_notifications_queue(self):
        from agent_platform.celery import app

        route = app.amqp.router.route({}, "accounts.tasks.notification_email_task")
        assert route["queue"].name == "notifications"

    def test_in_app_off_stores_it_read_and_does_not_push(self, workspace, owner, django_capture_on_commit_callbacks):
        owner.preferences = {"notifications": {"digest": {"in_app": False, "email": True}}}
        owner.save()
        with (
            mock.patch("agent_platform.celery.app.send_task"),
            mock.patch("agent_platform.realtime.publish_now") as publish,
            django_capture_on_commit_callbacks(execute=True),
        ):
            [notification] = notify(workspace=workspace, kind="digest", title="Weekly", users=[owner])
        assert notification.read_at is not None
        publish.assert_not_called()

    def test_everything_off_stores_nothing(self, workspace, owner):
        owner.preferences = {"notifications": {"digest": {"in_app": False, "email": False}}}
        owner.save()
        assert notify(workspace=workspace, kind="digest", title="Weekly", users=[owner]) == []

    def test_push_goes_to_the_users_group_after_commit(self, workspace, member, django_capture_on_commit_callbacks):
        with (
            mock.patch("agent_platform.realtime.publish_now") as publish,
            django_capture_on_commit_callbacks(execute=True),
        ):
            notify(workspace=workspace, kind="k", title="t", users=[member])
        group, event, payload = publish.call_args.args
        assert (group, event) == (f"ws.{workspace.pk}.user.{member.pk}", "notification.created")
        # The row as the list shows it, so the SPA adds it without a refetch.
        [row] = client_for(member).get(URL).json()["results"]
        assert {**payload, "created_at": None} == {**row, "created_at": None}
        assert datetime.fromisoformat(payload["created_at"]) == datetime.fromisoformat(row["created_at"])


class NotificationReadPushTests:
    def test_reading_one_or_all_tells_the_users_other_tabs(self, member, notes, django_capture_on_commit_callbacks):
        client = client_for(member)
        group = f"ws.{notes[0][0].workspace_id}.user.{member.pk}"
        with (
            mock.patch("agent_platform.realtime.publish_now") as publish,
            django_capture_on_commit_callbacks(execute=True),
        ):
            client.patch(f"{URL}/{notes[0][0].pk}/read")
            client.patch(f"{URL}/{notes[0][0].pk}/read")  # already read: nothing more to tell
            client.post(f"{URL}/read-all")
            client.post(f"{URL}/read-all")  # nothing left unread
        assert [call.args for call in publish.call_args_list] == [
            (group, "notification.read", {"id": notes[0][0].pk}),
            (group, "notification.read", {"all": True}),
        ]

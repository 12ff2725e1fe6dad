"""The current user: profile, avatar, settings."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from accounts.models import AuditLog
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def image_file(fmt: str = "PNG", size=(800, 500), name="a.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = name
    return buffer


class ProfileTests:
    def test_get_and_patch_profile_is_audited(self, member):
        client = client_for(member)
        assert client.get("/api/user/profile").json()["email"] == member.email
        response = client.patch("/api/user/profile", {"name": "Mia", "language": "ru", "time_zone": "Europe/Moscow"})
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["language"]) == ("Mia", "ru")
        entry = AuditLog.objects.unscoped_across_workspaces().get(action="user.profile_updated")
        assert entry.changes["name"] == ["", "Mia"]

    def test_invalid_language_or_time_zone(self, member):
        client = client_for(member)
        assert client.patch("/api/user/profile", {"language": "xx"}).status_code == 400
        assert client.patch("/api/user/profile", {"time_zone": "Nowhere/City"}).status_code == 400

    def test_anonymous_gets_401(self):
        assert client_for(None).get("/api/user/profile").status_code == 401


class AvatarTests:
    def test_image_is_stored_as_a_square_thumbnail(self, member, settings):
        response = client_for(member).post("/api/user/avatar", {"avatar": image_file()}, format="multipart")
        assert response.status_code == 200, response.content
        member.refresh_from_db()
        with default_storage.open(member.avatar.name) as stored:
            assert Image.open(stored).size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)
        assert response.json()["avatar_url"].endswith(".png")
        old = member.avatar.name
        client_for(member).post("/api/user/avatar", {"avatar": image_file("JPEG", name="b.jpg")}, format="multipart")
        assert not default_storage.exists(old)

    def test_non_images_are_refused(self, member):
        fake = io.BytesIO(b"#!/bin/sh\necho not an image\n")
        fake.name = "evil.png"
        response = client_for(member).post("/api/user/avatar", {"avatar": fake}, format="multipart")
        assert (response.status_code, response.json()["code"]) == (400, "avatar_invalid")

    def test_too_large_is_refused(self, member, settings):
        settings.AVATAR_MAX_BYTES = 1000
        response = client_for(member).post("/api/user/avatar", {"avatar": image_file()}, format="multipart")
        assert response.json()["code"] == "avatar_too_large"


class SettingsTests:
    def test_settings_merge_per_kind(self, member):
        client = client_for(member)
        assert client.get("/api/user/settings").json() == {"theme": "system", "notifications": {}}
        client.patch("/api/user/settings", {"theme": "dark", "notifications": {"approval_requested": {"email": True}}})
        response = client.patch("/api/user/settings", {"notifications": {"approval_requested": {"in_app": False}}})
        assert response.json() == {
            "theme": "dark",
            "notifications": {"approval_requested": {"email": True, "in_app": False}},
        }
        member.refresh_from_db()
        assert member.notification_channels("approval_requested") == {"in_app": False, "email": True}

    def test_bad_theme_or_kind(self, member):
        client = client_for(member)
        assert client.patch("/api/user/settings", {"theme": "neon"}).status_code == 400
        assert client.patch("/api/user/settings", {"notifications": {"bad kind!": {"email": True}}}).status_code == 400

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.exceptions import AvatarInvalid, AvatarTooLarge
from accounts.models import User
from accounts.services.audit import audit_record

PROFILE_FIELDS = ("name", "language", "time_zone")
AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Refuse decompression bombs before decoding: a small file can declare a huge canvas.
AVATAR_MAX_PIXELS = 40_000_000


def user_profile_update(*, user: User, **changes: str) -> User:
    """Change the name, language or time zone."""
    changes = {field: value for field, value in changes.items() if field in PROFILE_FIELDS}
    before = {field: getattr(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    audit_record(action="user.profile_updated", actor=user, target=user, before=before, after=changes)
    return user


def user_settings_update(
    *, user: User, theme: str | None = None, notifications: dict[str, dict[str, bool]] | None = None
) -> User:
    """Merge the theme and per-kind notification channels into the user's preferences."""
    preferences = dict(user.preferences)
    if theme is not None:
        preferences["theme"] = theme
    if notifications:
        merged = dict(preferences.get("notifications") or {})
        for kind, channels in notifications.items():
            merged[kind] = {**merged.get(kind, {}), **channels}
        preferences["notifications"] = merged
    user.preferences = preferences
    user.save(update_fields=["preferences"])
    return user


def user_avatar_set(*, user: User, upload: UploadedFile) -> User:
    """Store a square thumbnail (AVATAR_SIZE px, PNG) of an uploaded image through the default storage."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise AvatarTooLarge(f"The largest accepted avatar is {settings.AVATAR_MAX_BYTES // 1024} KiB.")
    try:
        with Image.open(upload) as image:
            if image.format not in AVATAR_FORMATS:
                raise AvatarInvalid()
            if image.width * image.height > AVATAR_MAX_PIXELS:
                raise AvatarTooLarge("The image has too many pixels.")
            image.load()
            size = settings.AVATAR_SIZE
            thumbnail = ImageOps.fit(ImageOps.exif_transpose(image).convert("RGBA"), (size, size))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        raise AvatarInvalid() from None
    buffer = io.BytesIO()
    thumbnail.save(buffer, format="PNG", optimize=True)
    old = user.avatar.name if user.avatar else ""
    # A fresh name per upload: caches and CDNs never serve the previous picture.
    user.avatar.save(f"{user.pk}-{secrets.token_hex(8)}.png", ContentFile(buffer.getvalue()), save=False)
    user.save(update_fields=["avatar"])
    if old:
        user.avatar.storage.delete(old)
    audit_record(action="user.avatar_changed", actor=user, target=user)
    return user

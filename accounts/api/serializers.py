from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from rest_framework import serializers

from accounts.models import ApiKey, AuditLog, Invitation, Membership, Notification, User
from agent_platform.api.keys import ApiKeyScope
from agent_platform.tenancy import Role

LANGUAGES = [code for code, _name in settings.LANGUAGES]
THEMES = ["system", "light", "dark"]
# Long passphrases are welcome (ASVS: at least 64); the cap only bounds hashing work.
PASSWORD_MAX = 256


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _password(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=PASSWORD_MAX, trim_whitespace=False, write_only=True, **kwargs)


class TimeZoneField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in _zones():
            raise serializers.ValidationError(f"{value!r} is not an IANA time zone (e.g. Europe/Madrid).")
        return value


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()


class RegisterInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = _password()
    name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGES, default="en")
    time_zone = TimeZoneField(max_length=64, default="UTC")
    workspace_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


def _refresh_cookie() -> serializers.BooleanField:
    return serializers.BooleanField(
        default=False,
        help_text="Set the refresh token as an HttpOnly cookie instead of returning it (the SPA).",
    )


class LoginInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = _password()
    refresh_cookie = _refresh_cookie()


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField()


class EmailInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class TokenInput(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class ResetPasswordInput(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    password = _password()


class PasswordChangeInput(serializers.Serializer):
    current_password = _password()
    new_password = _password()
    refresh_cookie = _refresh_cookie()


class AccessOutput(serializers.Serializer):
    access = serializers.CharField()


class TokenPairOutput(AccessOutput):
    refresh = serializers.CharField()


class IssuedTokensOutput(AccessOutput):
    refresh = serializers.CharField(required=False, help_text="Absent when `refresh_cookie` was asked for.")


class ProfileOutput(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "language", "time_zone", "avatar_url", "email_verified", "date_joined"]

    def get_avatar_url(self, user: User) -> str | None:
        return user.avatar.url if user.avatar else None

    def get_email_verified(self, user: User) -> bool:
        return user.email_verified_at is not None


class LoginOutput(IssuedTokensOutput):
    user = ProfileOutput()


class ProfileInput(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    time_zone = TimeZoneField(max_length=64, required=False)


class AvatarInput(serializers.Serializer):
    avatar = serializers.FileField()


class ChannelsSerializer(serializers.Serializer):
    in_app = serializers.BooleanField(required=False)
    email = serializers.BooleanField(required=False)


class SettingsInput(serializers.Serializer):
    theme = serializers.ChoiceField(choices=THEMES, required=False)
    notifications = serializers.DictField(
        child=ChannelsSerializer(),
        required=False,
        help_text='Notification kind → channels, e.g. {"approval_requested": {"in_app": true, "email": true}}',
    )

    def validate_notifications(self, value):
        bad = [kind for kind in value if not (kind.replace("_", "").isalnum() and kind.isascii() and len(kind) <= 64)]
        if bad:
            raise serializers.ValidationError(f"Unknown notification kind format: {bad[0]!r} (snake_case expected).")
        return value


class SettingsOutput(serializers.Serializer):
    theme = serializers.ChoiceField(choices=THEMES)
    notifications = serializers.DictField(child=ChannelsSerializer())

    def to_representation(self, user: User):
        return {
            "theme": user.preferences.get("theme", "system"),
            "notifications": user.preferences.get("notifications") or {},
        }


class WorkspaceMembershipOutput(serializers.Serializer):
    id = serializers.IntegerField(source="workspace.id")
    name = serializers.CharField(source="workspace.name")
    slug = serializers.CharField(source="workspace.slug")
    time_zone = serializers.CharField(source="workspace.time_zone")
    role = serializers.CharField()


class WorkspaceCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    time_zone = TimeZoneField(max_length=64, default="UTC")


class WorkspaceUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    time_zone = TimeZoneField(max_length=64, required=False, help_text="IANA, e.g. Europe/Madrid")


class MemberOutput(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["id", "user_id", "email", "name", "role", "created_at"]


class MemberRoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)


class InvitationOutput(serializers.ModelSerializer):
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "expires_at", "created_at"]


class ApiKeyInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.MultipleChoiceField(choices=ApiKeyScope.choices, allow_empty=False)


class ApiKeyOutput(serializers.ModelSerializer):
    hint = serializers.SerializerMethodField(help_text="The key's public start, to tell keys apart")
    created_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "hint", "scopes", "created_by", "created_at", "last_used_at", "revoked_at"]

    def get_hint(self, key: ApiKey) -> str:
        return f"apk_{key.prefix}_…"


class ApiKeyIssuedOutput(ApiKeyOutput):
    key = serializers.CharField(help_text="The whole key: shown this once, never stored")

    class Meta(ApiKeyOutput.Meta):
        fields = [*ApiKeyOutput.Meta.fields, "key"]


class NotificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "payload", "read_at", "created_at"]


class UnreadCountOutput(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedReadOutput(serializers.Serializer):
    updated = serializers.IntegerField()


class AuditLogOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditLog
        fields = [
            "id",
            "created_at",
            "actor_id",
            "actor_email",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "changes",
            "metadata",
            "ip_address",
            "user_agent",
        ]

from rest_framework import serializers

from integrations.kommo.models import KommoField, KommoIntegration, KommoPipeline, KommoUser


class ConnectInput(serializers.Serializer):
    """`oauth`: answers the consent page to open (popup). `long_lived`: a private integration's
    long-lived token, checked against the account at once."""

    mode = serializers.ChoiceField(choices=["oauth", "long_lived"], default="oauth")
    base_domain = serializers.CharField(required=False, max_length=255, help_text="e.g. acme.kommo.com")
    access_token = serializers.CharField(required=False, max_length=4000, write_only=True, trim_whitespace=True)
    client_id = serializers.CharField(required=False, max_length=100)
    client_secret = serializers.CharField(required=False, max_length=500, write_only=True, trim_whitespace=True)

    def validate(self, attrs):
        if attrs["mode"] == "long_lived":
            missing = [f for f in ("base_domain", "access_token", "client_id", "client_secret") if not attrs.get(f)]
            if missing:
                raise serializers.ValidationError({name: ["Required for a long-lived token."] for name in missing})
        return attrs


class ConnectOutput(serializers.Serializer):
    authorize_url = serializers.CharField(required=False)
    state = serializers.CharField(required=False)
    status = serializers.CharField(required=False)


class ChatsChannelInput(serializers.Serializer):
    """The workspace's own Chats API channel, as Kommo's support registered it; an empty id: the
    platform's channel. The secret is write-only: empty keeps the stored one."""

    channel_id = serializers.CharField(max_length=100, allow_blank=True)
    secret = serializers.CharField(max_length=200, allow_blank=True, required=False, write_only=True)
    code = serializers.CharField(max_length=100, allow_blank=True, required=False)


class KommoSettingsInput(serializers.Serializer):
    reply_route = serializers.ChoiceField(choices=KommoIntegration.ReplyRoute.choices, required=False)
    salesbot_bot_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    chats_channel = ChatsChannelInput(required=False)

    def validate_chats_channel(self, value):
        if value.get("channel_id") and not value.get("code"):
            raise serializers.ValidationError({"code": ["Required with a channel of your own: its chats' origin."]})
        return value


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    subdomain = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()


class SyncOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=KommoIntegration.SyncStatus.choices)
    progress = serializers.IntegerField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    result = serializers.DictField()
    error = serializers.CharField(allow_blank=True)


class WebhookHealthOutput(serializers.Serializer):
    registered = serializers.BooleanField()
    registered_at = serializers.DateTimeField(allow_null=True)
    last_received_at = serializers.DateTimeField(allow_null=True)
    received_24h = serializers.IntegerField()
    failed_24h = serializers.IntegerField()
    disabled = serializers.BooleanField(allow_null=True, required=False, help_text="As Kommo reports it")
    error = serializers.CharField(required=False, help_text="Why Kommo could not be asked")


class ErrorOutput(serializers.Serializer):
    at = serializers.CharField()
    where = serializers.CharField()
    detail = serializers.CharField()


class ChatsStatusOutput(serializers.Serializer):
    available = serializers.BooleanField(help_text="A channel is set up (the workspace's own or the platform's)")
    own_channel = serializers.BooleanField()
    channel_id = serializers.CharField(allow_blank=True)
    channel_code = serializers.CharField(allow_blank=True)
    connected = serializers.BooleanField(help_text="Connected to the account (Kommo gave a scope)")
    scope_id = serializers.CharField(allow_blank=True)
    connected_at = serializers.DateTimeField(allow_null=True)
    hook_url = serializers.CharField(help_text="What Kommo's support registers as the channel's hook")


class KommoStatusOutput(serializers.Serializer):
    connected = serializers.BooleanField()
    status = serializers.ChoiceField(choices=KommoIntegration.Status.choices)
    auth_kind = serializers.ChoiceField(choices=KommoIntegration.AuthKind.choices, required=False)
    account = AccountOutput(required=False)
    connected_at = serializers.DateTimeField(allow_null=True, required=False)
    connected_by = serializers.CharField(required=False)
    token_expires_at = serializers.DateTimeField(allow_null=True, required=False)
    reply_route = serializers.ChoiceField(choices=KommoIntegration.ReplyRoute.choices, required=False)
    salesbot_bot_id = serializers.IntegerField(allow_null=True, required=False)
    sync = SyncOutput(required=False)
    webhook = WebhookHealthOutput(required=False)
    last_errors = ErrorOutput(many=True, required=False)
    chats = ChatsStatusOutput(required=False)
    setup = serializers.DictField(required=False, help_text="The URLs to paste into Kommo (admins only)")


class StatusOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sort = serializers.IntegerField(allow_null=True)
    color = serializers.CharField(allow_null=True, required=False)
    type = serializers.IntegerField(allow_null=True, required=False)


class PipelineOutput(serializers.ModelSerializer):
    id = serializers.IntegerField(source="kommo_id")
    statuses = StatusOutput(many=True)

    class Meta:
        model = KommoPipeline
        fields = ["id", "name", "sort", "is_main", "is_archive", "statuses", "deleted_in_kommo"]


class EnumOutput(serializers.Serializer):
    id = serializers.IntegerField()
    value = serializers.CharField()
    code = serializers.CharField(required=False)


class FieldOutput(serializers.ModelSerializer):
    id = serializers.IntegerField(source="kommo_id")
    enums = EnumOutput(many=True)

    class Meta:
        model = KommoField
        fields = ["id", "entity", "name", "code", "type", "enums", "is_api_only", "deleted_in_kommo"]


class KommoUserOutput(serializers.ModelSerializer):
    id = serializers.IntegerField(source="kommo_id")

    class Meta:
        model = KommoUser
        fields = ["id", "name", "email", "is_admin"]


class FieldListQuery(serializers.Serializer):
    entity = serializers.ChoiceField(choices=["leads", "contacts", "companies"], required=False)
    include_deleted = serializers.BooleanField(default=False)

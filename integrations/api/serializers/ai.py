from rest_framework import serializers

from integrations.models import AICredential, AIModel, AIProvider


class AIModelOutput(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="get_provider_display", help_text="The provider's name, e.g. OpenAI")

    class Meta:
        model = AIModel
        fields = (
            "id",
            "provider",
            "provider_name",
            "model_id",
            "display_name",
            "kind",
            "context_window",
            "max_output_tokens",
            "input_price_per_million",
            "output_price_per_million",
            "cached_input_price_per_million",
            "supports_json_schema",
            "supports_vision",
        )


class AICredentialSerializer(serializers.ModelSerializer):
    """The key is write-only: responses carry only `api_key_masked`."""

    api_key = serializers.CharField(write_only=True, trim_whitespace=True, max_length=4000)
    api_key_masked = serializers.CharField(read_only=True)

    class Meta:
        model = AICredential
        fields = ("id", "provider", "label", "api_key", "api_key_masked", "base_url", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")

    def validate_provider(self, value: str) -> str:
        if value == AIProvider.OFFLINE:
            raise serializers.ValidationError("The offline provider needs no credential.")
        return value

    def validate(self, attrs):
        provider = attrs.get("provider", getattr(self.instance, "provider", None))
        base_url = attrs.get("base_url", getattr(self.instance, "base_url", ""))
        if provider == AIProvider.OPENAI_COMPATIBLE and not base_url:
            raise serializers.ValidationError({"base_url": ["An OpenAI-compatible endpoint needs its base URL."]})
        return attrs


class ConnectionTestInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=AIProvider.choices)
    model_id = serializers.CharField(required=False, allow_blank=True, default="")
    credential_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class ConnectionTestOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    provider = serializers.CharField()
    model = serializers.CharField()
    latency_ms = serializers.IntegerField()
    reply = serializers.CharField()

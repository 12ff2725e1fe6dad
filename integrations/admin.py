from django import forms
from django.contrib import admin

from integrations.models import AICredential, AIModel


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = (
        "provider",
        "model_id",
        "display_name",
        "context_window",
        "input_price_per_million",
        "output_price_per_million",
        "cached_input_price_per_million",
        "supports_json_schema",
        "supports_vision",
        "active",
    )
    list_filter = ("provider", "active", "supports_json_schema", "supports_vision")
    list_editable = ("active",)
    search_fields = ("model_id", "display_name")


class AICredentialForm(forms.ModelForm):
    # Write-only in the admin too: the stored key is never rendered; leave empty to keep it.
    api_key = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False)
    base_url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = AICredential
        fields = ("workspace", "provider", "label", "api_key", "base_url")

    def clean_api_key(self):
        value = self.cleaned_data.get("api_key")
        if not value:
            if self.instance.pk:
                return self.instance.api_key
            raise forms.ValidationError("Enter the key.")
        return value


@admin.register(AICredential)
class AICredentialAdmin(admin.ModelAdmin):
    form = AICredentialForm
    list_display = ("workspace", "provider", "label", "masked_key", "base_url", "updated_at")
    list_filter = ("provider",)

    @admin.display(description="API key")
    def masked_key(self, obj: AICredential) -> str:
        return obj.api_key_masked

    def get_queryset(self, request):
        return AICredential.objects.unscoped_across_workspaces().select_related("workspace")

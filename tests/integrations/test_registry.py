import pytest

from integrations.ai.exceptions import UnknownModel
from integrations.ai.selectors import model_get, model_list

pytestmark = pytest.mark.django_db


def test_the_registry_is_seeded_with_each_provider_and_the_offline_model():
    providers = set(model_list().values_list("provider", flat=True))
    assert {"openai", "gemini", "anthropic", "offline"} <= providers
    offline = model_get(provider="offline", model_id="offline-extractive")
    assert offline.input_price_per_million == 0


def test_an_unknown_model_raises_a_typed_error():
    with pytest.raises(UnknownModel) as caught:
        model_get(provider="openai", model_id="gpt-0")
    assert caught.value.code == "unknown_model"

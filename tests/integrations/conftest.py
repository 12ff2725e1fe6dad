import pytest

from integrations.ai.fakes import FakeAIServer
from tests.conftest import ensure_ai_model_registry


@pytest.fixture(autouse=True)
def ai_models(db):
    """The seeded model registry. Tests using transactional_db flush every table afterwards, data
    migrations' rows included, so re-seed when they are gone."""
    ensure_ai_model_registry()


@pytest.fixture(scope="session")
def _fake_ai_server():
    with FakeAIServer() as server:
        yield server


@pytest.fixture
def fake_ai(_fake_ai_server, settings):
    """The fake AI server, reset, with the platform keys of all three providers pointing at it."""
    _fake_ai_server.reset()
    settings.OPENAI_API_KEY = "sk-platform-openai-secret-1234"
    settings.OPENAI_BASE_URL = _fake_ai_server.openai_base_url
    settings.GEMINI_API_KEY = "platform-gemini-secret-5678"
    settings.GEMINI_BASE_URL = _fake_ai_server.gemini_base_url
    settings.ANTHROPIC_API_KEY = "sk-ant-platform-secret-9012"
    settings.ANTHROPIC_BASE_URL = _fake_ai_server.anthropic_base_url
    yield _fake_ai_server
    _fake_ai_server.reset()

from tests.ai.conftest import _fake_ai_server, fake_ai  # noqa: F401 (shared fixtures)

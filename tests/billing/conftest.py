from tests.billing.stripe_fixtures import local_stripe, stripe_ready  # noqa: F401 (shared fixtures)
from tests.conversations.conftest import kb_article, make_agent  # noqa: F401 (shared fixtures)
from tests.integrations.conftest import _fake_ai_server, ai_models, fake_ai  # noqa: F401 (shared fixtures)

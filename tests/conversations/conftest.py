import time

import pytest

from agent_platform.tenancy import workspace_scope
from integrations.ai.fakes.server import FakeAIServer
from tests.agents.factories import AgentFactory
from tests.knowledge.factories import ArticleFactory


@pytest.fixture
def make_agent(workspace, owner):
    """`make_agent(name="Support", **fields)`: an active agent of `workspace` on the offline model,
    answering on the API channel and in the playground."""

    def make(name="Support", **fields):
        return AgentFactory(workspace=workspace, actor=owner, name=name, answering=True, **fields)

    return make


@pytest.fixture
def kb_article(workspace, owner):
    """A published, indexed article about delivery (English)."""

    def make(
        title="Delivery times",
        body="<p>We deliver orders within 3 business days across Spain. "
        "Express delivery arrives the next day for 9 euros.</p>",
        language="en",
    ):
        article = ArticleFactory(
            workspace=workspace,
            actor=owner,
            title=title,
            body=body,
            status="published",
            language=language,
            indexed=True,
        )
        with workspace_scope(workspace.pk):
            # With a real worker running (transactional tests) the indexing task queued on commit
            # may index the article once more right now: wait for that run to settle too.
            deadline = time.monotonic() + 30
            article.refresh_from_db()
            while article.index_state != "ready" and article.index_state != "failed" and time.monotonic() < deadline:
                time.sleep(0.1)
                article.refresh_from_db()
        assert article.index_state == "ready", article.index_error
        return article

    return make


@pytest.fixture
def fake_ai(settings):
    with FakeAIServer() as server:
        settings.OPENAI_API_KEY = "sk-test-platform-key"
        settings.OPENAI_BASE_URL = server.openai_base_url
        settings.AI_RETRY_BASE_DELAY = 0.01
        yield server

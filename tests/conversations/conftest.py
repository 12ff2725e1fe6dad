import time

import pytest

from agent_platform.tenancy import workspace_scope
from agents import services as agent_services
from integrations.ai.fakes.server import FakeAIServer
from knowledge.services.articles import article_create
from knowledge.services.indexing import article_index_run


@pytest.fixture
def make_agent(workspace, owner):
    def make(name="Support", **fields):
        data = {
            "name": name,
            "model_provider": "offline",
            "model_id": "offline-extractive",
            "is_active": True,
            "instructions": "Answer from the knowledge base.",
            **fields,
        }
        with workspace_scope(workspace.pk):
            agent = agent_services.agent_create(workspace=workspace, actor=owner, data=data)
            agent_services.agent_config_replace(
                agent=agent, actor=owner, section="channels", items=["api", "playground"]
            )
            agent.refresh_from_db()
        return agent

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
        with workspace_scope(workspace.pk):
            article = article_create(
                workspace=workspace, actor=owner, title=title, body=body, status="published", language=language
            )
            article_index_run(article_id=article.pk)
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

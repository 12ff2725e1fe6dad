"""The Statistics page in real Chromium against the real server and worker: customers ask about gift
cards, which the knowledge base (delivery only) cannot answer, and one of them asks for a person; the
worker answers, records the questions and clusters them; on the Statistics page the cluster becomes an
article ("Create article", the article editor prefilled, Save), shows as resolved, and the article is
in the knowledge base."""

from __future__ import annotations

import time

import pytest

from agent_platform.tenancy import workspace_scope
from conversations.models import UnansweredCluster, UnansweredQuestion
from conversations.services import ingest_message
from knowledge.models import Article
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.conversations.conftest import kb_article  # noqa: F401 (fixture)
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = (
    "Do you sell gift cards?",
    "Can I buy a gift card for a friend?",
    "Gift cards? Please connect me to an operator",  # the agent's handoff keyword
)


@pytest.fixture
def owner():
    return UserFactory(prefix="statistics", verified=True)


@pytest.fixture
def workspace(owner):
    return WorkspaceFactory(name="Statistics Shop", owner=owner)


def clustered(workspace, questions: int, timeout: float = 60) -> list[UnansweredCluster]:
    """Wait until the worker has recorded and clustered `questions` questions."""
    deadline = time.monotonic() + timeout
    while True:
        with workspace_scope(workspace.pk):
            done = UnansweredQuestion.objects.filter(cluster__isnull=False).count()
            if done >= questions or time.monotonic() > deadline:
                return list(UnansweredCluster.objects.all())
        time.sleep(0.3)


def test_an_unanswered_question_becomes_an_article(open_context, celery_worker_process, owner, workspace, request):
    request.getfixturevalue("kb_article")()  # delivery times only: nothing about gift cards
    AgentFactory(workspace=workspace, actor=owner, answering=True, name="Support", handoff_keywords=["operator"])
    for n, question in enumerate(QUESTIONS):
        with workspace_scope(workspace.pk):
            ingest_message(
                workspace=workspace,
                channel="api",
                external_chat_id=f"gift-{n}",
                external_message_id=f"gift-{n}-1",
                text=question,
                customer_name=f"Customer {n}",
            )
    [cluster] = clustered(workspace, len(QUESTIONS))
    assert cluster.question_count == 3

    context, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/statistics")
    card = page.get_by_test_id("unanswered-cluster").filter(has_text=cluster.title)
    card.get_by_test_id("cluster-count").filter(has_text="3 questions").wait_for()
    card.get_by_text("Not in the knowledge base · 2").wait_for()
    card.get_by_text("Handed to a person · 1").wait_for()
    assert card.get_by_role("link", name="Conversation").count() == 3
    page.get_by_test_id("usage-by-agent").get_by_text("Support").wait_for()  # the replies' AI calls
    screenshot(page, "statistics-desktop-light")

    card.get_by_role("button", name="Create article").click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_label("Title").input_value() == cluster.title
    assert dialog.get_by_label("Text").input_value().startswith("Customers asked:\n- ")
    dialog.get_by_label("Text").fill("Yes: gift cards of 25, 50 or 100 euros, sold in every shop and online.")
    dialog.get_by_role("button", name="Save").click()
    dialog.wait_for(state="detached")
    page.get_by_test_id("unanswered-empty").wait_for()  # nothing open any more
    page.get_by_role("tab", name="Resolved").click()
    page.get_by_test_id("cluster-resolved").filter(has_text=f"Resolved by “{cluster.title}”").wait_for()

    with workspace_scope(workspace.pk):
        cluster.refresh_from_db()
        article = Article.objects.get(title=cluster.title)
    assert (cluster.status, cluster.article_id) == ("resolved", article.pk)
    page.goto("/knowledge")
    page.get_by_role("list", name="Articles").get_by_role("listitem").filter(has_text=cluster.title).wait_for()
    context.close()

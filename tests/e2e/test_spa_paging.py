"""Lists longer than one page in real Chromium against the real server: the inbox, a thread's older
messages, the knowledge base's articles and the agents list each reach their last (oldest) row with
"Load more" / "Show older messages", a filter still narrows the list (from its first page), and a
realtime event keeps what was loaded. Screenshots in light/dark × desktop/phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Conversation
from conversations.services import conversation_close
from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.agents.factories import AgentFactory
from tests.conversations.factories import CustomerMessageFactory
from tests.e2e.conftest import log_in, screenshot
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)
INBOX = 60  # conversations besides the long thread: two pages of 50 with it
THREAD = 130  # messages: the latest 50 come with the conversation, then two older pages
ARTICLES = 110  # two pages of 100
AGENTS = 105  # two pages of 100


@pytest.fixture
def owner():
    return UserFactory(prefix="paging", verified=True)


@pytest.fixture
def workspace(owner, monkeypatch):
    """A workspace with more rows than one page of each list (committed: the server must see them).
    Nothing is queued for the workers: these rows are what the test needs, not their processing."""
    monkeypatch.setattr("conversations.services.ingest.enqueue_on_commit", lambda *args, **kwargs: None)
    monkeypatch.setattr("knowledge.services.indexing.enqueue_on_commit", lambda *args, **kwargs: None)
    return WorkspaceFactory(name="Busy Shop", owner=owner)


@pytest.fixture
def inbox(workspace, owner) -> Conversation:
    """60 conversations a minute apart (Customer 01 the oldest, the first three closed) and, newest,
    one long thread of 130 messages. Returns the long thread."""
    start = timezone.now() - timedelta(days=1)
    for i in range(1, INBOX + 1):
        CustomerMessageFactory(
            workspace=workspace,
            external_chat_id=f"chat-{i:02d}",
            external_message_id=f"m-{i:02d}",
            text=f"Hello from customer {i}",
            sent_at=start + timedelta(minutes=i),
            customer_name=f"Customer {i:02d}",
        )
    with workspace_scope(workspace.pk):
        for conversation in Conversation.objects.filter(external_chat_id__in=["chat-01", "chat-02", "chat-03"]):
            conversation_close(conversation=conversation, user=owner)
    for n in range(1, THREAD + 1):
        sent_at = start + timedelta(hours=3, seconds=n)
        message = CustomerMessageFactory(
            workspace=workspace,
            external_chat_id="long",
            external_message_id=f"long-{n:03d}",
            text=f"Thread message {n:03d}",
            sent_at=sent_at,
            customer_name="Long Thread",
        )
    return message.conversation


@pytest.fixture
def library(workspace, owner):
    """110 articles (every tenth a draft) and 105 agents."""
    for i in range(1, ARTICLES + 1):
        status = "draft" if i % 10 == 0 else "published"
        ArticleFactory(workspace=workspace, actor=owner, title=f"Article {i:03d}", body="Text.", status=status)
    for i in range(1, AGENTS + 1):
        AgentFactory(workspace=workspace, actor=owner, name=f"Agent {i:03d}")


def conversation_links(page):
    return page.get_by_role("list", name="Conversations").get_by_role("link")


def messages_of(page):
    return page.get_by_role("list", name="Messages").get_by_test_id("message")


def test_the_inbox_and_a_thread_reach_their_oldest_rows(open_context, owner, workspace, inbox):
    _, page, _ = open_context()
    log_in(page, owner.email)
    page.goto("/conversations")
    page.locator("[data-realtime=open]").wait_for()

    # The first page: 50 of 61; the oldest conversation only after "Load more".
    links = conversation_links(page)
    page.get_by_test_id("paging-count").filter(has_text="Showing 50 of 61").wait_for()
    assert links.count() == 50
    assert links.filter(has_text="Customer 01").count() == 0
    page.get_by_role("button", name="Load more").click()
    links.filter(has_text="Customer 01").wait_for()
    assert links.count() == 61
    page.get_by_test_id("paging-count").filter(has_text="Showing 61 of 61").wait_for()
    assert page.get_by_role("button", name="Load more").count() == 0
    screenshot(page, "paging-inbox-all-loaded")

    # Filters narrow the list and start from its first page.
    page.get_by_role("combobox", name="Status").select_option("closed")
    page.wait_for_function("document.querySelectorAll('[aria-label=Conversations] a').length === 3")
    assert sorted(links.all_inner_texts())[0].startswith("Customer 01")
    assert page.get_by_test_id("paging-count").count() == 0
    page.get_by_role("combobox", name="Status").select_option("")
    page.get_by_role("searchbox", name="Search").fill("Customer 07")
    page.wait_for_function("document.querySelectorAll('[aria-label=Conversations] a').length === 1")
    assert "Customer 07" in links.first.inner_text()
    page.get_by_role("searchbox", name="Search").fill("")
    page.get_by_test_id("paging-count").filter(has_text="Showing 50 of 61").wait_for()

    # The long thread: its latest 50 messages, then older ones above them, the scroll kept.
    links.filter(has_text="Long Thread").click()
    messages = messages_of(page)
    messages.filter(has_text="Thread message 130").wait_for()
    assert messages.count() == 50
    older = page.get_by_role("button", name="Show older messages")
    older.scroll_into_view_if_needed()
    top = messages.filter(has_text="Thread message 081")
    before = top.bounding_box()["y"]
    older.click()
    messages.filter(has_text="Thread message 031").wait_for(state="attached")
    assert messages.count() == 100
    assert abs(top.bounding_box()["y"] - before) < 2, "the message that was on top moved"
    screenshot(page, "paging-thread-older-loaded")
    older.click()
    messages.filter(has_text="Thread message 001").wait_for(state="attached")
    page.get_by_text("The beginning of the conversation").wait_for()
    assert older.count() == 0
    texts = [re.search(r"Thread message \d+", text).group(0) for text in messages.all_inner_texts()]
    assert texts == [f"Thread message {n:03d}" for n in range(1, THREAD + 1)]

    # A new message arrives live: the conversation refetches, the older messages stay.
    CustomerMessageFactory(
        workspace=workspace,
        external_chat_id="long",
        external_message_id="long-new",
        text="A brand new message",
        sent_at=timezone.now(),
        customer_name="Long Thread",
    )
    messages.filter(has_text="A brand new message").wait_for()
    assert messages.count() == THREAD + 1
    assert "Thread message 001" in messages.first.inner_text()


def test_articles_and_agents_reach_their_last_rows(open_context, owner, library):
    _, page, _ = open_context()
    log_in(page, owner.email)

    page.goto("/knowledge")
    articles = page.get_by_role("list", name="Articles").get_by_role("listitem")
    page.get_by_test_id("paging-count").filter(has_text="Showing 100 of 110").wait_for()
    assert articles.count() == 100
    # Newest first: the first article created is the last one, on the second page.
    assert articles.filter(has_text="Article 001").count() == 0
    page.get_by_role("button", name="Load more").click()
    articles.filter(has_text="Article 001").wait_for()
    assert articles.count() == 110
    assert page.get_by_role("button", name="Load more").count() == 0
    screenshot(page, "paging-articles-all-loaded")
    page.get_by_role("combobox", name="Status").select_option("draft")
    page.wait_for_function("document.querySelectorAll('[aria-label=Articles] > li').length === 11")
    assert all("Draft" in text for text in articles.all_inner_texts())

    page.goto("/agents")
    rows = page.get_by_role("table").locator("tbody tr")
    page.get_by_test_id("paging-count").filter(has_text="Showing 100 of 105").wait_for()
    assert rows.count() == 100
    page.get_by_role("button", name="Load more").click()
    rows.filter(has_text="Agent 105").wait_for()
    assert rows.count() == 105
    page.get_by_role("searchbox").fill("Agent 10")
    page.wait_for_function("document.querySelectorAll('table tbody tr').length === 7")  # 010, 100–105
    assert page.get_by_test_id("paging-count").count() == 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_paged_lists(open_context, owner, inbox, library, viewport, scheme):
    suffix = f"{scheme}-{viewport}"
    _, page, _ = open_context(viewport=viewport, color_scheme=scheme)
    log_in(page, owner.email)
    page.goto("/conversations")
    page.get_by_test_id("paging-count").wait_for()
    page.get_by_role("button", name="Load more").scroll_into_view_if_needed()
    screenshot(page, f"paging-inbox-{suffix}")
    page.goto(f"/conversations/{inbox.pk}")
    messages_of(page).filter(has_text="Thread message 130").wait_for()
    page.get_by_role("button", name="Show older messages").click()
    messages_of(page).filter(has_text="Thread message 031").wait_for(state="attached")
    page.get_by_role("button", name="Show older messages").scroll_into_view_if_needed()
    screenshot(page, f"paging-thread-{suffix}")
    for name, path in (("articles", "/knowledge"), ("agents", "/agents")):
        page.goto(path)
        page.get_by_role("button", name="Load more").scroll_into_view_if_needed()
        screenshot(page, f"paging-{name}-{suffix}")

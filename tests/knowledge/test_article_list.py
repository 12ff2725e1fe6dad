"""The article list at scale (bench/api_lists): a page reads no article text and its default order
comes from an index, so a page costs the same at 10 articles and at 10,000."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agent_platform.tenancy import workspace_scope
from knowledge.selectors import article_list
from tests.conftest import client_for

LONG_TEXT = "<p>" + "Delivery takes two days to the capital and four elsewhere. " * 400 + "</p>"


def _page_queries(client, path: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    selects = [q["sql"] for q in queries.captured_queries if 'FROM "kb_articles"' in q["sql"]]
    return response.json(), [sql for sql in selects if "COUNT(" not in sql]


def test_a_page_of_the_list_reads_no_article_text(kb, owner, workspace):
    parent = kb.category("Shipping")
    child = kb.category("Express", parent=parent)
    both = kb.article("In both", LONG_TEXT, categories=[parent, child], index=False)
    kb.article("In the child", LONG_TEXT, categories=[child], index=False)
    kb.article("Elsewhere", LONG_TEXT, index=False)
    client = client_for(owner, workspace)

    body, selects = _page_queries(client, "/api/knowledge/articles")
    assert body["count"] == 3 and len(selects) == 1
    for column in ('"body"', '"extracted_text"'):
        assert column not in selects[0], f"the list page reads {column}"

    # In a category (its descendants included): each article once, though linked to two of them.
    body, selects = _page_queries(client, f"/api/knowledge/articles?category={parent.pk}")
    assert body["count"] == 2
    assert sorted(a["title"] for a in body["results"]) == ["In both", "In the child"]
    assert '"body"' not in selects[0] and "DISTINCT" not in selects[0]

    # The detail still carries the text.
    assert client.get(f"/api/knowledge/articles/{both.pk}").json()["body"].startswith("<p>Delivery")


def test_the_default_order_is_read_from_an_index(kb, workspace):
    """A later page of the newest-first list walks an index: no sort of every article (before, page
    200 of 10,000 articles sorted them all, on disk)."""
    for n in range(3):
        kb.article(f"Article {n}", "<p>x</p>", index=False)
    with workspace_scope(workspace.pk), connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")  # a sort only when no index gives the order
        try:
            plan = article_list(page=True)[25:50].explain()
        finally:
            cursor.execute("RESET enable_sort")
    assert "Sort" not in plan, plan
    assert "kb_article_updated_idx" in plan, plan

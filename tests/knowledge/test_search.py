"""Full-text per language, cross-language semantic search, filters, tenancy, retrieve and related."""

from __future__ import annotations

import itertools

import pytest

from agent_platform.tenancy import workspace_scope
from knowledge import selectors, services
from knowledge.models import ArticleRelation
from knowledge.search import SearchFilters


def search(workspace, query, mode="hybrid", **filters):
    with workspace_scope(workspace.pk):
        return selectors.search(workspace=workspace, query=query, mode=mode, filters=SearchFilters(**filters))


@pytest.mark.parametrize(
    ("language", "body", "query"),
    [
        ("ru", "Мы отправляем заказ в течение двух дней.", "заказы"),
        ("ru", "Оплата картами принимается на сайте.", "оплатой карты"),
        ("es", "Los pedidos se envían en dos días.", "pedido enviado"),
        ("pt", "As encomendas são enviadas rapidamente.", "encomenda enviada"),
        ("en", "Orders are shipped within two days.", "order shipping"),
    ],
)
def test_fulltext_matches_inflected_forms(kb, workspace, language, body, query):
    article = kb.article("Info", f"<p>{body}</p>", language=language)
    hits = search(workspace, query, mode="fulltext")
    assert [h.article_id for h in hits] == [article.pk]
    assert "<mark>" in hits[0].snippet


def test_snippet_is_escaped(kb, workspace):
    kb.article("Markup", "<p>Use the &lt;script&gt; tag for refunds</p>", language="en")
    snippet = search(workspace, "refunds", mode="fulltext")[0].snippet
    assert "<script>" not in snippet and "‹script›" in snippet and "<mark>refunds</mark>" in snippet


def test_russian_question_finds_english_article(kb, workspace):
    kb.article("Payment methods", "<p>We accept Visa, Mastercard and PayPal. Cash on delivery is not available.</p>")
    returns = kb.article("Returns", "<p>You can return any unused item within 30 days for a full refund.</p>")
    kb.article("Office", "<p>Our office is at 12 Tverskaya street, next to the metro.</p>")
    for mode in ("semantic", "hybrid"):
        hits = search(workspace, "Можно ли вернуть товар и получить деньги назад?", mode=mode)
        assert hits[0].article_id == returns.pk, mode


def test_filters_categories_with_descendants_tags_language_status(kb, workspace):
    shop = kb.category("Shop")
    delivery = kb.category("Delivery", parent=shop)
    other = kb.category("Other")
    in_child = kb.article(
        "Courier", "<p>Courier delivery takes one day.</p>", categories=[delivery], tags=["fast"], language="en"
    )
    in_other = kb.article("Post", "<p>Post delivery takes a week.</p>", categories=[other], language="en")
    draft = kb.article(
        "Drone", "<p>Drone delivery takes an hour.</p>", status="draft", categories=[delivery], language="en"
    )
    kb.article("Доставка", "<p>Доставка курьером занимает день.</p>", categories=[delivery], language="ru")

    ids = lambda hits: {h.article_id for h in hits}  # noqa: E731
    assert ids(search(workspace, "delivery", category_ids=[shop.pk], language="en")) == {in_child.pk}
    assert ids(search(workspace, "delivery", category_ids=[other.pk])) == {in_other.pk}
    assert ids(search(workspace, "delivery", tags=["fast"])) == {in_child.pk}
    assert draft.pk not in ids(search(workspace, "delivery"))
    assert draft.pk in ids(search(workspace, "delivery", statuses=["draft"]))
    assert all(h.language == "ru" for h in search(workspace, "доставка", language="ru"))

    # Changing categories/status updates the chunk filters without re-indexing.
    with workspace_scope(workspace.pk):
        services.article_update(article=in_other, actor=None, categories=[delivery], status="published")
    assert in_other.pk in ids(search(workspace, "delivery", category_ids=[shop.pk]))


def test_other_workspaces_chunks_never_come_back(kb, other_kb, workspace, other_workspace):
    mine = kb.article("Returns", "<p>Refunds are paid within 14 days.</p>")
    kb.article("Other", "<p>Our office opens at nine.</p>")
    theirs = other_kb.article("Returns", "<p>Refunds are paid within 14 days.</p>")
    other_kb.article("Refund policy", "<p>Refunds refunds refunds paid.</p>")
    for mode in ("hybrid", "semantic", "fulltext"):
        hits = search(workspace, "refunds paid", mode=mode)
        assert theirs.pk not in {h.article_id for h in hits}
        assert mine.pk in {h.article_id for h in hits}
    # Someone else's category id filters to nothing, not to their chunks.
    their_category = other_kb.category("Theirs")
    assert search(workspace, "refunds", category_ids=[their_category.pk]) == []
    with workspace_scope(workspace.pk):
        related = selectors.article_related(article=mine)
        assert {item["article"].workspace_id for item in related} <= {workspace.pk}
        assert theirs.pk not in {item["article"].pk for item in related}


def test_related_combines_explicit_relations_and_neighbours(kb, workspace):
    a = kb.article("Return policy", "<p>Items may be returned within 30 days for a refund.</p>")
    b = kb.article("Refund timing", "<p>Refunds for returned items arrive in 5 days.</p>")
    c = kb.article("Office address", "<p>The office is on Tverskaya street in Moscow.</p>")
    old = kb.article("Old office", "<p>We moved.</p>", status="archived")
    with workspace_scope(workspace.pk):
        services.article_relation_add(source=c, target=old, kind=ArticleRelation.Kind.REPLACES)
        related_c = selectors.article_related(article=c)
        related_old = selectors.article_related(article=old)
        related_a = selectors.article_related(article=a)
    assert (related_c[0]["kind"], related_c[0]["article"].pk) == ("replaces", old.pk)
    assert (related_old[0]["kind"], related_old[0]["article"].pk) == ("replaced_by", c.pk)
    similar = [item for item in related_a if item["kind"] == "similar"]
    assert similar[0]["article"].pk == b.pk
    assert old.pk not in {item["article"].pk for item in similar}, "archived articles are not suggested"


def test_retrieve_dedupes_and_respects_budget_and_categories(kb, workspace):
    allowed = kb.category("Allowed")
    hidden = kb.category("Hidden")
    sentences = " ".join(f"Refund rule {i}: items returned within thirty days get money back." for i in range(40))
    kb.article("Refunds", f"<p>{sentences}</p>", categories=[allowed])
    secret = kb.article("Secret refunds", "<p>Internal refund rules for staff.</p>", categories=[hidden])
    with workspace_scope(workspace.pk):
        chunks = selectors.retrieve(
            workspace=workspace, query="refund money back", category_ids=[allowed.pk], k=5, token_budget=400
        )
    assert chunks and sum(c.tokens for c in chunks) <= 400
    assert secret.pk not in {c.article_id for c in chunks}
    spans = sorted((c.char_start, c.char_end) for c in chunks)
    for (s1, e1), (s2, e2) in itertools.pairwise(spans):
        assert min(e1, e2) - max(s1, s2) <= 0.5 * min(e1 - s1, e2 - s2)


@pytest.mark.parametrize("exact_max", [20_000, 0])
def test_filtered_search_without_iterative_scans(kb, workspace, monkeypatch, exact_max):
    """The embedded PostgreSQL has pgvector 0.6: small filtered sets go exact, large ones get a
    raised ef_search; both return the right passage and respect the filter."""
    from knowledge import search as engine

    monkeypatch.setattr(engine, "pgvector_version", lambda: (0, 6, 2))
    monkeypatch.setattr(engine, "EXACT_SEARCH_MAX_ROWS", exact_max)
    wanted = kb.category("Wanted")
    target = kb.article("Returns", "<p>Return unused items within 30 days for a refund.</p>", categories=[wanted])
    kb.article("Returns elsewhere", "<p>Return unused items within 30 days for a refund.</p>")
    hits = search(workspace, "вернуть товар", mode="semantic", category_ids=[wanted.pk])
    assert [h.article_id for h in hits] == [target.pk]


def test_admin_pages_and_reindex_action(kb, workspace, admin_client):
    category = kb.category("Root")
    kb.category("Child", parent=category)
    article = kb.article("Doc", "<p>x</p>", categories=[category])
    assert admin_client.get("/admin/knowledge/category/").status_code == 200
    assert admin_client.get("/admin/knowledge/article/").status_code == 200
    assert admin_client.get(f"/admin/knowledge/article/{article.pk}/change/").status_code == 200
    response = admin_client.post(
        "/admin/knowledge/article/", {"action": "_reindex", "_selected_action": [article.pk]}, follow=True
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.index_state == "queued"


def test_the_filtered_row_count_is_reused_and_search_stays_exact_as_the_set_grows(kb, workspace):
    """The count that picks the vector strategy is cached per filter set; a stale count (the set
    grew since) still finds the new passage: a small count means exact search, exact at any size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wanted = kb.category("Wanted")
    kb.article("Delivery", "<p>We deliver within three days.</p>", categories=[wanted])
    with CaptureQueriesContext(connection) as first:
        search(workspace, "delivery time", category_ids=[wanted.pk])
    with CaptureQueriesContext(connection) as second:
        search(workspace, "delivery time", category_ids=[wanted.pk])
    assert sum("count(*)" in q["sql"] for q in first.captured_queries) == 1
    assert sum("count(*)" in q["sql"] for q in second.captured_queries) == 0
    returns = kb.article("Returns", "<p>Return unused items within 30 days for a refund.</p>", categories=[wanted])
    hits = search(workspace, "вернуть товар", mode="semantic", category_ids=[wanted.pk])
    assert hits[0].article_id == returns.pk

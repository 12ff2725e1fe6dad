"""Search over chunks: full-text (tsvector/GIN per language), semantic (pgvector HNSW) and hybrid
(reciprocal rank fusion of both), with filters and highlighted citations.

Why raw SQL: one round trip has to combine an HNSW index scan (with session-local pgvector
settings), a GIN full-text scan, rank fusion and ts_headline over only the final rows; the ORM
expresses none of the first three. Tenancy: every table reference below filters on
`workspace_id = %(ws)s` explicitly, because raw SQL bypasses the scoped manager.

The SQL text is assembled only from constants (table names of VECTOR_MODELS, the built-in
configuration names, integers); every value from a request is a bound parameter. Hence S608 is
silenced for this module.
"""
# ruff: noqa: S608

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from functools import cache

from django.core.cache import cache as django_cache
from django.db import connection, transaction

from integrations.ai.types import Passage
from knowledge import fulltext, fusion
from knowledge.languages import SEARCH_CONFIGS, detect_language
from knowledge.models import VECTOR_MODELS, Category
from knowledge.relevance import Floors, floor_sql

# Candidates per retriever before fusion: 2×k, at least 20. A filtered HNSW scan visits about
# candidates / selectivity rows, so this (not the table size) drives latency; ranks past ~2×k
# hardly move a reciprocal-rank fusion.
CANDIDATES = 20
# Embeddings cluster by topic, and with a short candidate list the graph walk can settle in a
# neighbouring cluster: on bench/kb_search one query in 40 found 1 of its 10 true neighbours at
# ef_search 40 (0.89 cosine distance instead of 0.24). 100 found all of them for +1 ms.
EF_SEARCH = 100
# pgvector < 0.8 has no iterative index scan: filtered sets up to this size are searched exactly.
EXACT_SEARCH_MAX_ROWS = 20_000
EXACT_SEARCH_MAX_ROWS_ITERATIVE = 2_000  # with iterative scans only really small sets go exact
FILTERED_COUNT_CACHE_SECONDS = 60
_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_START, _MARK_STOP = "\u0002", "\u0003"
MODES = ("hybrid", "semantic", "fulltext")
_COLUMNS = {"title": 2, "heading": 5, "text": 9, "score": 11, "language": 16, "provisional": 19}
_HEADLINE_OPTIONS = (
    f'StartSel={_MARK_START}, StopSel={_MARK_STOP}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass
class SearchFilters:
    category_ids: list[int] | None = None  # descendants included
    tags: list[str] | None = None
    language: str | None = None
    statuses: list[str] = field(default_factory=lambda: ["published"])
    exclude_article_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SearchHit(Passage):
    """A passage as search found it: with a highlighted snippet, the ranks that placed it and its raw
    signals (cosine distance, full-text ts_rank_cd), which add up to its `relevance` (empty when
    searched without floors)."""

    snippet: str  # HTML-escaped, matches wrapped in <mark>
    fulltext_rank: int | None
    semantic_rank: int | None
    content_hash: str
    language: str
    distance: float | None = None
    text_rank: float | None = None


@cache
def pgvector_version() -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    return tuple(int(part) for part in re.findall(r"\d+", row[0])[:3]) if row else (0,)


def has_iterative_scan() -> bool:
    return pgvector_version() >= (0, 8)


def category_descendants(category_ids: list[int]) -> list[int]:
    """The categories and all their descendants (the tree is small: one query, walked in Python)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    known = {pk for kids in children.values() for pk in kids}
    found, stack = set(), [pk for pk in category_ids if pk in known]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return sorted(found)


def _filter_sql(alias: str, filters: SearchFilters, params: dict) -> str:
    clauses = [f"{alias}.workspace_id = %(ws)s", f"{alias}.status = ANY(%(statuses)s)"]
    params["statuses"] = list(filters.statuses)
    if filters.category_ids is not None:
        clauses.append(f"{alias}.category_ids && %(cats)s::bigint[]")
        params["cats"] = filters.category_ids
    if filters.tags:
        clauses.append(f"{alias}.tags && %(tags)s::varchar[]")
        params["tags"] = filters.tags
    if filters.language:
        clauses.append(f"{alias}.language = %(lang)s")
        params["lang"] = filters.language
    if filters.exclude_article_ids:
        clauses.append(f"NOT ({alias}.article_id = ANY(%(exclude)s))")
        params["exclude"] = filters.exclude_article_ids
    return " AND ".join(clauses)


def _vector_literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{value:.7g}" for value in vector) + "]"


def _vector_cte(table: str, filters: SearchFilters, params: dict, limit: int, exact: bool) -> str:
    where = _filter_sql("t", filters, params) + " AND t.provider = %(provider)s"
    if exact:
        # Materializing the filtered rows first keeps the planner off the HNSW index: an exact scan.
        return f"""
        v_all AS MATERIALIZED (SELECT t.chunk_id, t.embedding FROM {table} t WHERE {where}),
        v AS (SELECT chunk_id, embedding <=> %(qv)s::vector AS distance FROM v_all ORDER BY distance LIMIT {limit})"""
    return f"""
        v AS MATERIALIZED (
            SELECT t.chunk_id, t.embedding <=> %(qv)s::vector AS distance FROM {table} t
            WHERE {where} ORDER BY t.embedding <=> %(qv)s::vector LIMIT {limit})"""


def _count_sql(filters: SearchFilters, params: dict) -> str:
    """How many rows pass the filters, capped just above the exact-search threshold (kb_chunks'
    GIN/btree indexes answer it)."""
    threshold = EXACT_SEARCH_MAX_ROWS_ITERATIVE if has_iterative_scan() else EXACT_SEARCH_MAX_ROWS
    where = _filter_sql("c", filters, params)
    return f"(SELECT count(*) FROM (SELECT 1 FROM kb_chunks c WHERE {where} LIMIT {threshold + 1}) s)"


def _count_cache_key(workspace_id: int, filters: SearchFilters) -> str:
    parts = [
        ",".join(map(str, sorted(filters.category_ids))) if filters.category_ids is not None else "*",
        ",".join(sorted(filters.tags or [])),
        filters.language or "",
        ",".join(sorted(filters.statuses)),
        ",".join(map(str, sorted(filters.exclude_article_ids))),
    ]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:20]  # noqa: S324 (a cache key, not security)
    return f"knowledge:filtered-rows:{workspace_id}:{digest}"


def _iterative_settings_sql(limit: int) -> str:
    """set_config(…, true) is SET LOCAL as an expression, so it rides along in the same round trip."""
    ef = max(EF_SEARCH, limit)
    return (
        f"set_config('hnsw.ef_search', '{ef}', true), set_config('hnsw.iterative_scan', 'relaxed_order', true),"
        " set_config('hnsw.max_scan_tuples', '40000', true)"
    )


def _configure_vector_scan(cursor, table: str, filters: SearchFilters, params: dict, limit: int, matching=None) -> bool:
    """Session-local pgvector settings for this query; True when search must be exact.

    The filtered rows are counted on kb_chunks (capped). A small set is searched exactly: cheaper
    than walking the graph and exact by construction. Otherwise pgvector ≥ 0.8 uses an iterative
    HNSW scan, which keeps reading the graph until enough rows pass the filter (relaxed order; the
    outer query re-sorts); pgvector 0.6/0.7 has none, so it gets a larger exact threshold and an
    ef_search raised to cover the filter's selectivity. `matching` may come precomputed (with the
    iterative settings already applied in the same statement).
    """
    iterative = has_iterative_scan()
    threshold = EXACT_SEARCH_MAX_ROWS_ITERATIVE if iterative else EXACT_SEARCH_MAX_ROWS
    if matching is None:
        probe = dict(params)
        extra = f", {_iterative_settings_sql(limit)}" if iterative else ""
        cursor.execute(f"SELECT {_count_sql(filters, probe)}{extra}", probe)
        matching = cursor.fetchone()[0]
    if matching <= threshold or iterative:
        return matching <= threshold
    ef = max(EF_SEARCH, limit)
    cursor.execute("SELECT count(*) FROM " + table + " WHERE workspace_id = %(ws)s", params)
    everything = cursor.fetchone()[0] or 1
    cursor.execute(f"SET LOCAL hnsw.ef_search = {min(1000, int(ef * everything / matching))}")
    return False


def search_chunks(
    *,
    workspace_id: int,
    query: str,
    mode: str = "hybrid",
    filters: SearchFilters | None = None,
    k: int = 10,
    provider_key: str,
    query_vector: list[float] | None,
    dimensions: int | None,
    any_word: bool | None = None,
    floors: Floors | None = None,
) -> list[SearchHit]:
    """The k best chunks. With `floors`, only chunks whose best signal passes its floor (see
    knowledge/relevance.py) — possibly none; without, the k nearest whatever their distance."""
    filters = filters or SearchFilters()
    if filters.category_ids is not None:
        filters.category_ids = category_descendants(filters.category_ids)
        if not filters.category_ids:
            return []
    params: dict = {"ws": workspace_id, "provider": provider_key, "k": k}
    use_vector = mode in ("hybrid", "semantic") and query_vector is not None
    use_text = mode in ("hybrid", "fulltext")
    any_word = True if any_word is None else any_word
    # A query without a single word highlights nothing: '' is an empty tsquery (a NOTICE, not an error).
    params["q_hl"] = " | ".join(dict.fromkeys(w.lower() for w in _WORD.findall(query)))
    highlight_query = " || ".join(f"to_tsquery('{c}'::regconfig, %(q_hl)s)" for c in SEARCH_CONFIGS)
    limit = max(CANDIDATES, 2 * k)
    ctes, joins = [], []
    with transaction.atomic(), connection.cursor() as cursor:
        # One preparatory round trip: the filtered-row count (vector strategy), the pgvector
        # settings, and the query parsed under each language.
        # The count only picks the vector strategy (exact or graph walk), so it is cached for a
        # minute: counting a category's rows took half of the search's time. A stale count costs
        # speed, not correctness (exact search is exact at any size).
        prep_params: dict = {**params}
        columns = []
        count_key = _count_cache_key(workspace_id, filters)
        matching = django_cache.get(count_key)
        if matching is None:
            columns.append(_count_sql(filters, prep_params))
        if use_vector and has_iterative_scan():
            columns.append(_iterative_settings_sql(limit))
        text_columns = fulltext.prepare_columns(query, fulltext.configs_for(filters.language)) if use_text else None
        if text_columns:
            fulltext.bind(query, prep_params)
        columns.extend(text_columns or [])
        cursor.execute("SELECT " + ", ".join(columns or ["NULL"]), prep_params)
        prepared = cursor.fetchone()
        if matching is None:
            matching = prepared[0]
            django_cache.set(count_key, matching, FILTERED_COUNT_CACHE_SECONDS)
        text = fulltext.text_query(*prepared[-3:]) if text_columns else None
        scale = floors.max_distance if floors else None
        # Hybrid's names stage (knowledge/fusion.py): when the question names something and its
        # language is known, the fused list is longer (the stage reorders it) and gains provisional rows.
        keys = fusion.question_names(query) if mode == "hybrid" and use_text and floors else set()
        question_language = detect_language(query) if keys else ""
        names = bool(keys and question_language)
        if names:
            params["k_fused"] = limit
        if use_vector:
            table = VECTOR_MODELS[dimensions]._meta.db_table
            params["qv"] = _vector_literal(query_vector)
            exact = _configure_vector_scan(cursor, table, filters, params, limit, matching=matching)
            ctes.append(_vector_cte(table, filters, params, limit, exact))
            distance_floor = floor_sql("distance", floors, params, any_word=any_word)
            ctes.append(
                "vr AS (SELECT chunk_id, distance, row_number() OVER (ORDER BY distance) AS rnk FROM v"
                f" WHERE {distance_floor})"
            )
            joins.append("vr")
            if names:
                ctes.append(fusion.names_cte(params, query=query, floor=distance_floor, distance_scale=scale))
        if text is not None:
            floor = floor_sql("rank", floors, params, any_word=any_word)
            text_sql = fulltext.ranked_cte(
                text, _filter_sql("c", filters, params), floor, params, limit=limit, rows=matching, any_word=any_word
            )
            ctes.extend(text_sql)
            joins.append("fr")
        if not joins:
            return []
        names = names and len(joins) == 2
        fused = fusion.fused_cte(joins, params, query=query, distance_scale=scale, names=names)
        headline = (
            f"ts_headline(c.ts_config::regconfig, translate(c.text, '<>', '‹›'), ({highlight_query}),"
            f" '{_HEADLINE_OPTIONS}')"
        )
        sql = f"""
        WITH {",".join(ctes)}, {fused}
        SELECT c.id, c.article_id, a.title, c.file_id, fl.name, c.heading, c.page, c.char_start, c.char_end, c.text,
               {headline},
               fused.score, fused.ft_rank, fused.sem_rank, c.tokens, c.content_hash, c.language,
               fused.distance, fused.text_rank, fused.provisional
        FROM fused
        JOIN kb_chunks c ON c.id = fused.chunk_id AND c.workspace_id = %(ws)s
        JOIN kb_articles a ON a.id = c.article_id AND a.workspace_id = %(ws)s
        LEFT JOIN kb_article_files fl ON fl.id = c.file_id AND fl.workspace_id = %(ws)s
        ORDER BY fused.score DESC, c.id"""
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if names:
            rows = fusion.rescore(rows, keys=keys, question_language=question_language, k=k, columns=_COLUMNS)
    return [
        SearchHit(
            chunk_id=row[0],
            article_id=row[1],
            article_title=row[2],
            file_id=row[3],
            file_name=row[4],
            heading=row[5],
            page=row[6],
            char_start=row[7],
            char_end=row[8],
            text=row[9],
            snippet=_snippet_html(row[10]),
            score=float(row[11]),
            fulltext_rank=row[12],
            semantic_rank=row[13],
            tokens=row[14],
            content_hash=row[15],
            language=row[16],
            distance=row[17],
            text_rank=row[18],
            relevance=floors.relevance(row[17], row[18]) if floors else "",
        )
        for row in rows
    ]


def _snippet_html(raw: str) -> str:
    """ts_headline marks matches with control characters; the rest of the text is escaped, so a
    passage containing markup can never inject HTML into the page showing the snippet."""
    return html.escape(raw).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")


def nearest_articles(
    *, workspace_id: int, article_id: int, provider_key: str, dimensions: int, limit: int = 5, statuses: list[str]
) -> list[tuple[int, float]]:
    """Articles whose passages lie nearest the article's centroid: (article id, cosine distance)."""
    table = VECTOR_MODELS[dimensions]._meta.db_table
    params = {"ws": workspace_id, "provider": provider_key, "article": article_id}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT avg(embedding)::text FROM {table}"
            " WHERE workspace_id = %(ws)s AND provider = %(provider)s AND article_id = %(article)s",
            params,
        )
        centroid = cursor.fetchone()[0]
        if centroid is None:
            return []
        filters = SearchFilters(statuses=statuses, exclude_article_ids=[article_id])
        params["qv"] = centroid
        exact = _configure_vector_scan(cursor, table, filters, params, CANDIDATES)
        cursor.execute(
            f"""WITH {_vector_cte(table, filters, params, CANDIDATES, exact)}
            SELECT t.article_id, min(v.distance) AS distance FROM v
            JOIN {table} t ON t.chunk_id = v.chunk_id AND t.provider = %(provider)s AND t.workspace_id = %(ws)s
            GROUP BY t.article_id ORDER BY distance LIMIT {int(limit)}""",
            params,
        )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]

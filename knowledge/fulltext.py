"""Full-text ranking for questions as people ask them: the `fulltext` mode and the full-text half
of `hybrid` share it.

A question ("Какая глубина у Белоярского озера?") rarely has all its words in the passage that
answers it, so requiring every word (websearch_to_tsquery) found nothing for most natural
questions. Instead a passage matches when it holds any of the question's meaningful words (each
parsed under every language's configuration, so stemmed per language, stop words out), and is
ranked by:
1. an exact phrase match (the words adjacent, in order), then
2. an all-words match (the old AND query), then
3. the share of the question's information it holds: the sum of its matched words' BM25 inverse
   document frequencies over the sum of all of them — a rare word ("Harwick", "VeriGuard") counts
   many times a common one ("first", "long"), measured on the workspace's own passages;
4. ts_rank_cd (cover density, heading words weigh more) breaks ties.

Document frequencies come from the GIN index in the preparatory round trip, each capped at
`DF_CAP` rows: past that a word is common, and how common no longer changes the order.

Raw SQL (see knowledge/search.py): built from constants; every value is a bound parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from knowledge.languages import SEARCH_CONFIGS, STOP_WORD_CONFIGS, ts_config

DF_CAP = 200
_WORD = re.compile(r"\w+", re.UNICODE)
PHRASE_BONUS, ALL_WORDS_BONUS, RANK_WEIGHT = 2.0, 1.0, 0.1


@dataclass(frozen=True)
class TextQuery:
    """The parsed question: its OR-query of terms, the all-words and phrase queries, and each
    term's weight (inverse document frequency, normalised to sum to 1)."""

    any_query: str
    all_query: str
    phrase_query: str
    terms: list[str]
    weights: list[float]


def configs_for(language: str | None) -> list[str]:
    return list(dict.fromkeys([ts_config(language), "simple"] if language else SEARCH_CONFIGS))


def prepare_columns(query: str, configs: list[str], filter_sql: str, params: dict) -> list[str] | None:
    """Three columns of the preparatory SELECT: the all-words parses, the phrase parses (one per
    configuration), and per content word its term (the OR of its parses) with a document
    frequency. None when the question has no word at all."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))
    if not words:
        return None
    params["q_words"], params["q_parse"] = words, query
    # A word any of our languages calls a stop word ("a", "the", "как") would otherwise match every
    # passage indexed without a language ('simple') and pass the relevance floor on "tell me a joke".
    content = " AND ".join(f"numnode(to_tsquery('{c}'::regconfig, u.w)) > 0" for c in STOP_WORD_CONFIGS)
    term = " || ".join(f"to_tsquery('{c}'::regconfig, u.w)" for c in configs)
    df = f"(SELECT count(1) FROM (SELECT 1 FROM kb_chunks c WHERE {filter_sql} AND c.tsv @@ t.tq LIMIT {DF_CAP}) s)"
    per_word = (
        f"ARRAY(SELECT t.tq::text || chr(1) || {df} FROM (SELECT ({term}) AS tq, u.i"
        f" FROM unnest(%(q_words)s::text[]) WITH ORDINALITY u(w, i) WHERE {content}) t ORDER BY t.i)"
    )
    all_words = "ARRAY[" + ", ".join(f"websearch_to_tsquery('{c}'::regconfig, %(q_parse)s)::text" for c in configs)
    phrase = "ARRAY[" + ", ".join(f"phraseto_tsquery('{c}'::regconfig, %(q_parse)s)::text" for c in configs)
    return [all_words + "]", phrase + "]", per_word]


def _combine(parts: list[str] | None) -> str:
    """Identical parses (most words under most configurations) appear once."""
    return " | ".join(f"( {part} )" for part in dict.fromkeys(p for p in parts or [] if p))


def text_query(all_parses: list[str], phrase_parses: list[str], per_word: list[str], rows: int) -> TextQuery | None:
    """The question's `TextQuery` from the preparatory columns; `rows` is how many passages pass
    the filters (capped: only the ratio to the document frequencies matters)."""
    frequencies: dict[str, int] = {}
    for item in per_word or []:
        term, _, df = item.partition("\x01")
        if term:
            frequencies[term] = max(frequencies.get(term, 0), int(df))
    if not frequencies:
        return None
    total = max(rows, *frequencies.values(), 1)
    idf = {t: math.log(1 + (total - df + 0.5) / (df + 0.5)) for t, df in frequencies.items()}
    norm = sum(idf.values()) or 1.0
    terms = list(idf)
    # A phrase of one word is that word: only real phrases get the phrase bonus.
    phrases = [p for p in phrase_parses or [] if p and "<->" in p]
    return TextQuery(
        any_query=_combine(terms),
        all_query=_combine(all_parses),
        phrase_query=_combine(phrases),
        terms=terms,
        weights=[idf[t] / norm for t in terms],
    )


def ranked_cte(query: TextQuery, filter_sql: str, floor: str, params: dict, limit: int, any_word: bool) -> list[str]:
    """The `f` (candidates) and `fr` (ranked, past the floor) CTEs. `rank` stays the raw
    ts_rank_cd (the relevance floor's signal); `score` orders. Without `any_word` only all-words
    matches are candidates."""
    params.update(tsq=query.any_query, tsq_all=query.all_query or "", terms=query.terms, term_w=query.weights)
    phrase = "c.tsv @@ %(tsq_phrase)s::tsquery" if query.phrase_query else "false"
    if query.phrase_query:
        params["tsq_phrase"] = query.phrase_query
    all_words = "c.tsv @@ %(tsq_all)s::tsquery" if query.all_query else "false"
    candidates = "tsq" if any_word or not query.all_query else "tsq_all"
    coverage = (
        "(SELECT coalesce(sum(t.w), 0) FROM unnest(%(terms)s::tsquery[], %(term_w)s::float8[]) t(q, w)"
        " WHERE c.tsv @@ t.q)"
    )
    return [
        f"""
        f AS (
            SELECT chunk_id, rank, all_words, lang, coverage, phrase,
                   {PHRASE_BONUS} * phrase::int + {ALL_WORDS_BONUS} * all_words::int + coverage
                   + {RANK_WEIGHT} * rank / (rank + 1) AS score
            FROM (
                SELECT c.id AS chunk_id, c.language AS lang, ts_rank_cd(c.tsv, q.query) AS rank,
                       {all_words} AS all_words, {phrase} AS phrase, {coverage} AS coverage
                FROM kb_chunks c, (SELECT %({candidates})s::tsquery AS query) q
                WHERE c.tsv @@ q.query AND {filter_sql}) m
            ORDER BY score DESC, chunk_id LIMIT {limit})""",
        "fr AS (SELECT chunk_id, rank, score, lang, coverage, all_words, phrase,"
        f" row_number() OVER (ORDER BY score DESC, chunk_id) AS rnk FROM f WHERE {floor})",
    ]

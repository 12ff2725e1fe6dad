"""Full-text ranking for questions as people ask them: the `fulltext` mode and the full-text half
of `hybrid` share it.

A question ("Какая глубина у Белоярского озера?") rarely has all its words in the passage that
answers it, so requiring every word (websearch_to_tsquery) found nothing for most natural
questions. Instead a passage matches when it holds any of the question's meaningful words (each
parsed under every language's configuration, so stemmed per language, stop words out), and is
ranked by:
1. an exact phrase match (the words adjacent, in order), then
2. an all-words match (every meaningful word of the question, each in any of its parses), then
3. the share of the question's information it holds: the sum of its matched words' BM25 inverse
   document frequencies over the sum of all of them — a rare word ("Harwick", "VeriGuard") counts
   many times a common one ("first", "long"), measured on the workspace's own passages;
4. ts_rank_cd (cover density, heading words weigh more) breaks ties.
Besides, `title` is the same share counted in the passage's heading alone (the article's title or
its section's, weight A of the tsvector): a question names what it asks about, and the passage
headed by that name is about it (BM25F's field weighting). It does not order full-text results
(every-word matches stay first) but weighs in hybrid's fusion (knowledge/fusion.py): "What do
bluewing moth caterpillars eat?" holds every word of the Greywing moth's passage ("…a close
relative of the bluewing moth… Its caterpillars eat…"), but only the Bluewing moth's heading.
Counted for the ranked candidates only (at most `limit`), since it orders nothing here.

Document frequencies are counted over the candidates themselves (the passages that pass the
filters and hold any of the words: a word's frequency among them is its frequency in the searched
set) in the same statement, against the filtered-row count search already
has (capped: past the cap a word is common, and how common no longer changes the order much).

Raw SQL (see knowledge/search.py): built from constants; every value is a bound parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.languages import SEARCH_CONFIGS, STOP_WORD_CONFIGS, ts_config

_WORD = re.compile(r"\w+", re.UNICODE)
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
PHRASE_BONUS, ALL_WORDS_BONUS, RANK_WEIGHT = 2.0, 1.0, 0.1


@dataclass(frozen=True)
class TextQuery:
    """The parsed question: its OR-query of terms, the every-word and phrase queries, and its terms
    (one per meaningful word: the OR of the word's parses)."""

    any_query: str
    all_query: str
    phrase_query: str
    terms: list[str]


def configs_for(language: str | None) -> list[str]:
    return list(dict.fromkeys([ts_config(language), "simple"] if language else SEARCH_CONFIGS))


def prepare_columns(query: str, configs: list[str]) -> list[str] | None:
    """Three columns of the preparatory SELECT: the every-word parses, the phrase parses (one per
    configuration), and per meaningful word its term (the OR of its parses). None when the
    question has no word at all. Binds q_words and q_parse (the caller passes `params`)."""
    if not _WORD.search(query):
        return None
    # A word any of our languages calls a stop word ("a", "the", "как") would otherwise match every
    # passage indexed without a language ('simple') and pass the relevance floor on "tell me a joke".
    content = " AND ".join(f"numnode(to_tsquery('{c}'::regconfig, u.w)) > 0" for c in STOP_WORD_CONFIGS)
    term = " || ".join(f"to_tsquery('{c}'::regconfig, u.w)" for c in configs)
    per_word = (
        f"ARRAY(SELECT ({term})::text FROM unnest(%(q_words)s::text[]) WITH ORDINALITY u(w, i)"
        f" WHERE {content} ORDER BY u.i)"
    )
    all_words = "ARRAY[" + ", ".join(f"websearch_to_tsquery('{c}'::regconfig, %(q_parse)s)::text" for c in configs)
    phrase = "ARRAY[" + ", ".join(f"phraseto_tsquery('{c}'::regconfig, %(q_parse)s)::text" for c in configs)
    return [all_words + "]", phrase + "]", per_word]


def bind(query: str, params: dict) -> None:
    params["q_words"] = list(dict.fromkeys(w.lower() for w in _WORD.findall(query)))
    params["q_parse"] = query


def _combine(parts: list[str] | None) -> str:
    """Identical parses (most words under most configurations) appear once."""
    return " | ".join(f"( {part} )" for part in dict.fromkeys(p for p in parts or [] if p))


def text_query(all_parses: list[str], phrase_parses: list[str], per_word: list[str]) -> TextQuery | None:
    """The question's `TextQuery` from the preparatory columns (`all_parses` is the old every-word
    query, kept for searches that ask for it: not any_word)."""
    # A word parses the same under most configurations: each distinct parse once, or the planner
    # prices "'w' | 'w' | 'w' | 'w' | 'w'" as five lexemes and walks the table instead of the GIN index.
    terms = list(dict.fromkeys(" | ".join(dict.fromkeys(t.split(" | "))) for t in per_word or [] if t))
    if not terms:
        return None
    # A phrase of one word is that word: only real phrases get the phrase bonus.
    phrases = [p for p in phrase_parses or [] if p and "<->" in p]
    return TextQuery(
        any_query=_combine(terms), all_query=_combine(all_parses), phrase_query=_combine(phrases), terms=terms
    )


def heading_term(term: str) -> str:
    """The term matched in headings only: each lexeme restricted to weight A ('vell' → 'vell':A)."""
    return _LEXEME.sub(lambda match: f"{match.group(0)}:A", term)


def ranked_cte(
    query: TextQuery, filter_sql: str, floor: str, params: dict, *, limit: int, rows: int, any_word: bool
) -> list[str]:
    """The `f` (candidates) and `fr` (ranked, past the floor) CTEs. `rank` stays the raw
    ts_rank_cd (the relevance floor's signal); `score` orders; `rows` is how many passages pass
    the filters. Without `any_word` only every-word matches are candidates."""
    params.update(tsq=query.any_query, tsq_all=query.all_query or "", ft_rows=max(rows, 1))
    candidates = "tsq" if any_word or not query.all_query else "tsq_all"
    hits, idfs = [], []
    for i, term in enumerate(query.terms):
        params[f"term_{i}"], params[f"head_{i}"] = term, heading_term(term)
        hits.append(f"c.tsv @@ %(term_{i})s::tsquery AS h{i}")
        # BM25's idf, ln(1 + (N − df + ½) / (df + ½)) = ln((N + 1) / (df + ½)), the word's document
        # frequency counted over the candidates (N capped: never below df).
        idfs.append(f"ln((greatest(%(ft_rows)s, sum(h{i}::int)) + 1) / (sum(h{i}::int) + 0.5)) AS w{i}")
    weighted = " + ".join(f"m.h{i}::int * d.w{i}" for i in range(len(hits)))
    in_heading = " + ".join(f"(c.tsv @@ %(head_{i})s::tsquery)::int * d.w{i}" for i in range(len(hits)))
    total = " + ".join(f"d.w{i}" for i in range(len(hits)))
    every = " AND ".join(f"c.tsv @@ %(term_{i})s::tsquery" for i in range(len(hits)))
    phrase = f"({every}) AND c.tsv @@ %(tsq_phrase)s::tsquery" if query.phrase_query else "false"
    if query.phrase_query:
        params["tsq_phrase"] = query.phrase_query
    all_words = " AND ".join(f"m.h{i}" for i in range(len(hits)))
    # The candidates once (materialized), their document frequencies in one aggregate row, then
    # the ranking: window functions over the candidates took 5× longer on 4,000 of them.
    return [
        f"""
        fm AS MATERIALIZED (
            SELECT c.id AS chunk_id, c.language AS lang, ts_rank_cd(c.tsv, q.query) AS rank,
                   {", ".join(hits)}, {phrase} AS phrase
            FROM kb_chunks c, (SELECT %({candidates})s::tsquery AS query) q
            WHERE c.tsv @@ q.query AND {filter_sql}),
        fd AS (SELECT {", ".join(idfs)} FROM fm),
        f AS (
            SELECT chunk_id, rank, all_words, lang, coverage, phrase,
                   {PHRASE_BONUS} * phrase::int + {ALL_WORDS_BONUS} * all_words::int + coverage
                   + {RANK_WEIGHT} * rank / (rank + 1) AS score
            FROM (
                SELECT m.chunk_id, m.lang, m.rank, m.phrase, {all_words} AS all_words,
                       ({weighted}) / nullif({total}, 0) AS coverage
                FROM fm m, fd d) m2
            ORDER BY score DESC, chunk_id LIMIT {limit})""",
        # The heading's share does not order the candidates: counted for the ranked few only.
        f"""
        fr AS (
            SELECT f.chunk_id, f.rank, f.score, f.lang, f.coverage, ({in_heading}) / nullif({total}, 0) AS title,
                   f.all_words, f.phrase, row_number() OVER (ORDER BY f.score DESC, f.chunk_id) AS rnk
            FROM f JOIN kb_chunks c ON c.id = f.chunk_id AND c.workspace_id = %(ws)s, fd d
            WHERE {floor})""",
    ]

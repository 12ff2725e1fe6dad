"""How hybrid search combines its two retrievers: score fusion that leans on whichever knows more.

Reciprocal-rank fusion (1 / (60 + rank) from each list) lost to the semantic list alone on
cross-language questions: a Russian question over English articles full-text-matches Russian
passages that share a word or two with it ("длина", "реки"), and those, being in both lists, beat
the right English passage that only the vectors found. So each hit keeps its two signals instead
of its ranks:
- meaning: v = 1 − distance / ceiling, the cosine distance scaled by the embedding model's
  relevance ceiling (knowledge/relevance.py: distances of different models are not comparable,
  their ceilings are), 0 past it;
- words: t, the full-text score of knowledge/fulltext.py (the share of the question's information
  the passage holds, plus the all-words and phrase bonuses, plus TITLE_WEIGHT × the share held in
  the passage's heading);
and hybrid ranks by v + TEXT_WEIGHT · t, where a passage in another language than the question
weighs its words by CROSS_LANGUAGE_TEXT_WEIGHT only (shared names, not understanding: a Spanish
question over English articles leans on the vectors), and a partial word match counts by the cube
of its coverage (two common words out of four barely count).

A third signal, the names stage (`rescore`, in Python over the fused rows), is for questions in
another language than their passage: the share of the question's names (integrations/ai/names.py:
"Харвик" is Harwick) the passage holds adds NAME_WEIGHT, and a vector candidate up to
NAME_DISTANCE_SLACK past the distance ceiling is kept when it holds one (the multilingual vectors
put "Кто основал обсерваторию в Кестхее?" 0.80 from the Keszthely observatory, past the 0.78
ceiling, so hybrid found nothing).

Tuned on bench/answer_quality (hit@5 / MRR@10). Before the heading share and the names stage,
hybrid vs semantic: en→en 1.000/0.983 vs 1.000/0.992, es→en 1.000/1.000 vs 0.950/0.950, ru→en
0.920/0.833 vs 0.920/0.833 (RRF: 0.920/0.760), ru→ru 1.000/1.000 vs 0.940/0.940; text weights
0.1–0.8 and an every-word weight of 0–1 changed none of these, the cube (against a square or none)
lifted ru→en from 0.800. NAME_WEIGHT and the slack were chosen on the even-numbered questions
(half A) and checked on the odd ones (B): on A, names 0.2–0.5 and slack 0.05–0.15 tie (ru→en MRR
0.923; 0.1 → 0.885, slack 0.3 → 0.885), on B every value from 0.1 to 0.5 gives ru→en 1.000/1.000.
Half A does not tell heading weights 0–3 apart (its one en→en miss, "What do bluewing moth
caterpillars eat?", needs more); 2 (a title word twice a body word, BM25F's usual title boost)
turns B's "How long is the river Vell?" from rank 2 to 1 (the Osterby Canal's passage holds every
word): one question, so read en→en's 0.992 with that in mind. After: en→en 1.000/0.992 (semantic
1.000/0.992), es→en 1.000/1.000, ru→en 1.000/0.960 (semantic 0.920/0.833), ru→ru 1.000/1.000.

Raw SQL (see knowledge/search.py): built from constants; every value is a bound parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence

from integrations.ai.names import name_keys, shared_share
from knowledge.languages import detect_language

TEXT_WEIGHT = 0.3
COVERAGE_POWER = 3
ALL_WORDS_WEIGHT = 0.5
CROSS_LANGUAGE_TEXT_WEIGHT = 0.25  # relative to TEXT_WEIGHT
TITLE_WEIGHT = 2.0  # the question's words in the passage's heading, again (knowledge/fulltext.py's `title`)
NAME_WEIGHT = 0.3  # the share of the question's names a passage in another language holds (integrations/ai/names.py)
NAME_DISTANCE_SLACK = 0.1  # how far past the distance ceiling a vector candidate may be, if it shares a name
DEFAULT_SCALE = 1.0  # cosine distance scale when searched without floors


def fused_cte(joins: list[str], params: dict, *, query: str, distance_scale: float | None, names: bool) -> str:
    """The `fused` CTE over `vr` (meaning) and/or `fr` (words): score, both ranks, raw signals, and
    whether the row is only a candidate for the names stage (`provisional`, see `names_cte`).
    `names`: hybrid with a names stage: more rows (%(k_fused)s) for it to reorder. The union is
    materialized: left inline, the planner re-ran the provisional half once per chunk (72 ms, not 4)."""
    params["v_scale"] = distance_scale or DEFAULT_SCALE
    params["q_lang"] = detect_language(query)
    params.setdefault("k_fused", params["k"])
    params["t_w"], params["t_cross"] = TEXT_WEIGHT, TEXT_WEIGHT * CROSS_LANGUAGE_TEXT_WEIGHT
    meaning = "greatest(0, 1 - vr.distance / %(v_scale)s)"
    # A partial match counts much less than a full one: the share of the information, squared.
    words = (
        f"power(fr.coverage, {COVERAGE_POWER}) + {ALL_WORDS_WEIGHT} * fr.all_words::int + fr.phrase::int"
        f" + {TITLE_WEIGHT} * fr.title"
    )
    # Unknown question language ("" from detect_language): every passage counts as the same.
    weight = "CASE WHEN %(q_lang)s = '' OR fr.lang IN ('', %(q_lang)s) THEN %(t_w)s ELSE %(t_cross)s END"
    if len(joins) == 2:
        both = f"""
            SELECT coalesce(vr.chunk_id, fr.chunk_id) AS chunk_id,
                   coalesce({meaning}, 0) + coalesce({weight} * ({words}), 0) AS score,
                   fr.rnk AS ft_rank, vr.rnk AS sem_rank, vr.distance, fr.rank AS text_rank, false AS provisional
            FROM vr FULL OUTER JOIN fr ON fr.chunk_id = vr.chunk_id
            ORDER BY score DESC, chunk_id LIMIT %(k_fused)s"""
        if not names:
            return f"fused AS ({both})"
        return f"""
        fk AS ({both}),
        fused AS MATERIALIZED (
            SELECT * FROM fk UNION ALL
            SELECT vn.chunk_id, 0.0, NULL, NULL, vn.distance, NULL, true FROM vn
            WHERE vn.chunk_id NOT IN (SELECT chunk_id FROM fk))"""
    if joins == ["vr"]:
        return (
            f"fused AS (SELECT vr.chunk_id, {meaning} AS score, NULL::bigint AS ft_rank, vr.rnk AS sem_rank,"
            " vr.distance, NULL::real AS text_rank, false AS provisional FROM vr ORDER BY vr.rnk LIMIT %(k)s)"
        )
    return (
        "fused AS (SELECT chunk_id, score, rnk AS ft_rank, NULL::bigint AS sem_rank,"
        " NULL::double precision AS distance, rank AS text_rank, false AS provisional FROM fr ORDER BY rnk LIMIT %(k)s)"
    )


def question_names(query: str) -> set[str]:
    return name_keys(query, sentence_initial=False)


def names_cte(params: dict, *, query: str, floor: str, distance_scale: float) -> str:
    """`vn`: the vector candidates past the distance floor but within NAME_DISTANCE_SLACK of it, in
    another language than the question: kept only if they share a name with it (`rescore`)."""
    params["name_distance"] = distance_scale * (1 + NAME_DISTANCE_SLACK)
    params["q_lang"] = detect_language(query)
    return (
        "vn AS MATERIALIZED (SELECT v.chunk_id, v.distance FROM v"
        " JOIN kb_chunks c ON c.id = v.chunk_id AND c.workspace_id = %(ws)s"
        f" WHERE NOT ({floor}) AND v.distance <= %(name_distance)s AND c.language NOT IN ('', %(q_lang)s))"
    )


def rescore(rows: Sequence[tuple], *, keys: set[str], question_language: str, k: int, columns: dict) -> list[tuple]:
    """The names stage: a passage in another language than the question gains NAME_WEIGHT × the
    share of the question's names it holds (its title's included); a provisional row (past the
    distance floor) survives only with such a name. Reordered by score, the best k."""
    out = []
    for row in rows:
        share = 0.0
        if question_language and row[columns["language"]] not in ("", question_language):
            text = f"{row[columns['title']]}. {row[columns['heading']]}. {row[columns['text']]}"
            share = shared_share(keys, name_keys(text, sentence_initial=True))
        if row[columns["provisional"]] and share == 0:
            continue
        score = row[columns["score"]] + NAME_WEIGHT * share
        out.append((*row[: columns["score"]], score, *row[columns["score"] + 1 :]))
    out.sort(key=lambda row: (-row[columns["score"]], row[0]))
    return out[:k]

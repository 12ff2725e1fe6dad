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
  the passage holds, plus the all-words and phrase bonuses);
and hybrid ranks by v + TEXT_WEIGHT · t, where a passage in another language than the question
weighs its words by CROSS_LANGUAGE_TEXT_WEIGHT only (shared names, not understanding: a Spanish
question over English articles leans on the vectors), and a partial word match counts by the cube
of its coverage (two common words out of four barely count). Tuned on bench/answer_quality
(hit@5 / MRR@10, hybrid vs semantic): en→en 1.000/0.983 vs 1.000/0.992 (one question: a neighbour
holding every word), es→en 1.000/1.000 vs 0.950/0.950, ru→en 0.920/0.833 vs 0.920/0.833 (RRF:
0.920/0.760), ru→ru 1.000/1.000 vs 0.940/0.940; text weights 0.1–0.8 and an every-word weight of
0–1 changed none of these, the cube (against a square or none) lifted ru→en from 0.800.

Raw SQL (see knowledge/search.py): built from constants; every value is a bound parameter.
"""
# ruff: noqa: S608

from __future__ import annotations

from knowledge.languages import detect_language

TEXT_WEIGHT = 0.3
COVERAGE_POWER = 3
ALL_WORDS_WEIGHT = 0.5
CROSS_LANGUAGE_TEXT_WEIGHT = 0.25  # relative to TEXT_WEIGHT
DEFAULT_SCALE = 1.0  # cosine distance scale when searched without floors


def fused_cte(joins: list[str], params: dict, *, query: str, distance_scale: float | None) -> str:
    """The `fused` CTE over `vr` (meaning) and/or `fr` (words): score, both ranks, raw signals."""
    params["v_scale"] = distance_scale or DEFAULT_SCALE
    params["q_lang"] = detect_language(query)
    params["t_w"], params["t_cross"] = TEXT_WEIGHT, TEXT_WEIGHT * CROSS_LANGUAGE_TEXT_WEIGHT
    meaning = "greatest(0, 1 - vr.distance / %(v_scale)s)"
    # A partial match counts much less than a full one: the share of the information, squared.
    words = f"power(fr.coverage, {COVERAGE_POWER}) + {ALL_WORDS_WEIGHT} * fr.all_words::int + fr.phrase::int"
    # Unknown question language ("" from detect_language): every passage counts as the same.
    weight = "CASE WHEN %(q_lang)s = '' OR fr.lang IN ('', %(q_lang)s) THEN %(t_w)s ELSE %(t_cross)s END"
    if len(joins) == 2:
        return f"""
        fused AS (
            SELECT coalesce(vr.chunk_id, fr.chunk_id) AS chunk_id,
                   coalesce({meaning}, 0) + coalesce({weight} * ({words}), 0) AS score,
                   fr.rnk AS ft_rank, vr.rnk AS sem_rank, vr.distance, fr.rank AS text_rank
            FROM vr FULL OUTER JOIN fr ON fr.chunk_id = vr.chunk_id
            ORDER BY score DESC, chunk_id LIMIT %(k)s)"""
    if joins == ["vr"]:
        return (
            f"fused AS (SELECT vr.chunk_id, {meaning} AS score, NULL::bigint AS ft_rank, vr.rnk AS sem_rank,"
            " vr.distance, NULL::real AS text_rank FROM vr ORDER BY vr.rnk LIMIT %(k)s)"
        )
    return (
        "fused AS (SELECT chunk_id, score, rnk AS ft_rank, NULL::bigint AS sem_rank,"
        " NULL::double precision AS distance, rank AS text_rank FROM fr ORDER BY rnk LIMIT %(k)s)"
    )

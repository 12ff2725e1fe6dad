"""How the offline provider picks its answer from the retrieved passages: by meaning as well as by
shared words.

Each passage is scored against the question by
- meaning: the best cosine of one of its sentences' vectors and the question's, from the local
  multilingual sentence encoder the knowledge base already loads (`local:use-multilingual`, numpy
  only): a Russian question finds its English passage;
- words: the share of the question's meaningful words (stems: first five letters, stop words out)
  the passage and its title hold; for a passage in the other script, the share of its names
  (integrations/ai/names.py: a Russian question shares no stem with an English passage, only names
  — "Кеттеринг" is Kettering —, while a Russian passage shares its common words, "аромат", and
  was cited instead);
- title: the same share in the passage's title alone, a smaller weight (a question names what it
  asks about, and the passage titled by that name is about it: "How long is the river Vell?" held
  every word of the Osterby Canal's passage, "…links the river Vell…", and was cited for it; one
  weight tried, 0.3: bench/answer_quality's gold span en→en 0.967 → 0.983, ru→en 0.88 → 0.92, the
  other pairs unchanged);
- order: retrieval ranked the passages; a later passage pays a small penalty per place.
The best passage is cited; the answer is its `MAX_SENTENCES` sentences closest to the question by
the same measures, in their original order. (Answering with the single closest sentence lost the
fact: the sentence naming the subject is closest, the next one, "Its first keeper…", answers.)

"I don't know" only when nothing is close enough: no passage shares a quarter of the question's
words or comes within `MIN_SIMILARITY` of its meaning. Without the
encoder (not installed, failed to load) the words alone decide, as before.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable

from integrations.ai.local_embeddings import shared_local
from integrations.ai.names import is_cyrillic, name_keys, shared_share
from integrations.ai.types import Passage

logger = logging.getLogger(__name__)

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 600
ENCODER = "local:use-multilingual"
# USE multilingual cosines: a question and the sentence answering it 0.35–0.8 (across languages
# too), unrelated sentences around 0.05–0.2 (measured on bench/answer_quality and
# tests/knowledge/answer_quality's shop FAQ).
MIN_SIMILARITY = 0.2
WORDS_WEIGHT = 0.6
TITLE_WEIGHT = 0.3
RANK_PENALTY = 0.02
MIN_WORD_SHARE = 0.25

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def stems(text: str, stop: set[str]) -> set[str]:
    return {word[:5] for word in _WORD.findall(text.lower()) if word not in stop and (len(word) > 1 or word.isdigit())}


def without_title_line(text: str, title: str) -> str:
    """Passages often start with their article's title on a line of its own; the answer already
    names the article, and the bare title would run into the first sentence."""
    first, newline, rest = text.lstrip().partition("\n")
    if newline and rest.strip() and first.strip().casefold() == title.strip().casefold():
        return rest
    return text


def sentences(text: str) -> list[str]:
    parts = []
    for paragraph in re.split(r"\n\s*\n|\n(?=[-•*]\s)", text):
        paragraph = " ".join(paragraph.split())
        parts.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return parts


def _encoder() -> Callable[[list[str]], list[list[float]]] | None:
    try:
        model = shared_local(ENCODER)
    except Exception:
        logger.warning("offline answers without the sentence encoder", exc_info=True)
        return None
    return model.embed_documents if model is not None else None


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def best_passage(question: str, passages: list[Passage], stop: set[str]) -> tuple[int, str] | None:
    """The position of the passage answering best and the answer from it, or None."""
    wanted = stems(question, stop)
    split = [sentences(without_title_line(p.text, p.article_title)) for p in passages]
    flat = [(position, index) for position, parts in enumerate(split) for index in range(len(parts))]
    if not flat:
        return None
    encode = _encoder()
    meaning = dict.fromkeys(flat, 0.0)
    if encode is not None:
        vectors = encode([question] + [split[position][index] for position, index in flat])
        meaning = {key: _cosine(vectors[0], vector) for key, vector in zip(flat, vectors[1:], strict=True)}

    names, cyrillic = name_keys(question, sentence_initial=False), is_cyrillic(question)

    def share(text: str) -> float:
        if is_cyrillic(text) != cyrillic:
            return shared_share(names, name_keys(text, sentence_initial=True))
        return len(wanted & stems(text, stop)) / len(wanted) if wanted else 0.0

    best: tuple[float, int] | None = None
    for position, passage in enumerate(passages):
        if not split[position]:
            continue
        closest = max(meaning[(position, index)] for index in range(len(split[position])))
        words = share(f"{passage.article_title}\n{passage.text}")
        if words < MIN_WORD_SHARE and closest < MIN_SIMILARITY:
            continue
        score = closest + WORDS_WEIGHT * words + TITLE_WEIGHT * share(passage.article_title) - RANK_PENALTY * position
        if best is None or score > best[0]:
            best = (score, position)
    if best is None:
        return None
    position = best[1]
    parts = split[position]
    ranked = sorted(range(len(parts)), key=lambda i: (-(meaning[(position, i)] + WORDS_WEIGHT * share(parts[i])), i))
    chosen = sorted(ranked[:MAX_SENTENCES])
    answer = ""
    for index in chosen:
        candidate = f"{answer} {parts[index]}".strip()
        if answer and len(candidate) > MAX_ANSWER_CHARS:
            break
        answer = candidate
    if len(answer) > MAX_ANSWER_CHARS:  # one very long sentence: cut at a word boundary
        answer = answer[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return position, answer

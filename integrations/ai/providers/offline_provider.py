"""The offline provider: no network, no keys, deterministic. The default when no key is configured.

What it CAN do
- Answer a customer's question from the knowledge passages the caller retrieved
  (`GenerationRequest.passages`): it picks the passage sharing the most words with the last
  user message (case-folded, stop words removed, words compared by their first five letters so
  "доставка"/"доставки" or "deliver"/"delivery" match), takes its best sentences (up to
  `MAX_SENTENCES`, kept in their original order, cut at sentence boundaries, at most
  `MAX_ANSWER_CHARS`), and frames them politely, naming its source (the file's name for a passage
  of an attached file, else the article's title) and citing it as the prompt asks, "[n]", n being the
  passage's number: a reply cites exactly the passage it used.
- Reply in the conversation's language — Russian, Spanish, Portuguese or English — detected by
  simple rules on the last user message (Cyrillic → Russian; Spanish/Portuguese accents and common
  words; otherwise English).
- Say plainly that it does not know when no passage shares enough words with the question (and
  cite nothing).
- Structured extraction when the request has a JSON schema: for each property, by rules on the
  user's messages (latest first): phone, email, number, money amount, date (ISO, dd.mm.yyyy,
  dd/mm/yyyy, today/tomorrow in the four languages), yes/no, one-of-enum and an array of enum
  options (every option named). What it cannot find is
  `null`. The property's kind comes from its `format`/`enum`/`type` and, for strings and numbers, its
  name (`phone`, `email`, `date`, `price`/`amount`/`budget`…).

What it CANNOT do
- Understand, paraphrase, summarise, translate, reason or follow instructions: the system prompt is
  ignored, and the answer is always the knowledge base's own words (in the article's language, framed
  in the customer's). It does not combine facts from several passages.
- Hold a conversation: greetings, small talk and follow-ups ("and how much is it?") get the
  "I don't know" answer unless the words match a passage.
- Extract free text (names, addresses, needs) or nested objects of other shapes; those come back
  `null`. (An object of `value` + `confidence` + `evidence`/`quote` — one update rule's answer, see
  automations.extraction — is filled: the value by the rules above, the kind read from the property's
  name and descriptions, a fixed confidence, and the customer's message it came from as evidence.)
- Judge natural-language trigger conditions other than by the word rule of `offline_judge`.
Token counts are estimates (`integrations.ai.tokens`); the cost is zero.
"""

from __future__ import annotations

import json
import math
import re
import time
from typing import Any

from integrations.ai.providers.offline_extraction import extract_fields
from integrations.ai.providers.offline_judge import JUDGE_SCHEMA_NAME, judge_request
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import GenerationRequest, GenerationResult, Passage, Usage

MODEL_ID = "offline-extractive"
MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 600

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _words(text: str) -> set[str]:
    return set(text.split())


STOP_WORDS = {
    "en": _words(
        "a an the is are was were be been am do does did i you he she it we they me my your our their of to in on "
        "for at by with from and or but not no can could would should will shall may might how what when where which "
        "who whom why this that these those there here have has had any some please tell about much many"
    ),
    "ru": _words(
        "и в во на с со к ко по о об от до за из у для не ни но а или ли же бы что как где когда какой какая какие "
        "каков кто это этот эта эти тот та те там тут я вы ты мы он она оно они мне меня вам вас нам нас его её их "
        "мой ваш наш есть быть был была было были можно ли подскажите скажите пожалуйста сколько очень"
    ),
    "es": _words(
        "el la los las un una unos unas de del al a en y o pero no es son está están ser estar que qué cómo como "
        "cuándo cuando dónde donde cuál cual quién para por con sin mi mis tu tus su sus nos me te se lo le les "
        "hay puedo puede por favor cuánto cuanto cuesta"
    ),
    "pt": _words(
        "o a os as um uma uns umas de do da dos das em no na nos nas e ou mas não é são está estão ser estar que "
        "como quando onde qual quem para por com sem meu minha seu sua nós me te se lhe há posso pode por favor "
        "quanto custa"
    ),
}

FRAMES = {
    "en": (
        "Here is what I found{source}:",
        "I'm sorry, I don't have information about that. Could you rephrase "
        "your question, or would you like me to pass it to a colleague?",
    ),
    "ru": (
        "Вот что я нашёл{source}:",
        "К сожалению, у меня нет информации по этому вопросу. Попробуйте "
        "сформулировать его иначе или я могу передать его коллеге.",
    ),
    "es": (
        "Esto es lo que encontré{source}:",
        "Lo siento, no tengo información sobre eso. ¿Puede reformular su pregunta o prefiere que la pase a un colega?",
    ),
    "pt": (
        "Aqui está o que encontrei{source}:",
        "Desculpe, não tenho informações sobre isso. Pode reformular a pergunta ou prefere que eu a passe a um colega?",
    ),
}
SOURCE = {"en": " in “{}”", "ru": " в статье «{}»", "es": " en «{}»", "pt": " em «{}»"}

_ES_MARKERS = {
    "qué",
    "cómo",
    "cuánto",
    "cuánta",
    "dónde",
    "está",
    "hola",
    "gracias",
    "envío",
    "precio",
    "usted",
    "quiero",
    "tienen",
    "cuesta",
    "hay",
    "el",
    "los",
    "del",
}
_EN_MARKERS = {
    "the", "you", "do", "does", "is", "are", "what", "how", "can", "your", "have", "has", "we", "my",
    "and", "to", "of", "for", "with", "when", "where", "which", "why", "sell", "buy", "order", "price",
    "delivery", "hello", "hi", "thanks", "please", "want", "need", "there", "this", "that",
}  # fmt: skip
_PT_MARKERS = {
    "não",
    "você",
    "obrigado",
    "obrigada",
    "olá",
    "quanto",
    "custa",
    "entrega",
    "vocês",
    "preço",
    "uma",
    "está",
    "tem",
    "do",
    "da",
    "dos",
    "das",
    "em",
    "é",
}


def detect_language(text: str) -> str:
    """ru / es / pt / en by simple rules (see the module docstring)."""
    if re.search(r"[а-яё]", text, re.I):
        return "ru"
    lowered = text.lower()
    if re.search(r"[ãõç]", lowered):
        return "pt"
    if re.search(r"[ñ¿¡]", lowered):
        return "es"
    words = set(_WORD.findall(lowered))
    es, pt, en = len(words & _ES_MARKERS), len(words & _PT_MARKERS), len(words & _EN_MARKERS)
    # Short words such as "do" exist in several languages: English wins unless outnumbered.
    if max(es, pt) > en and (max(es, pt) >= 2 or (max(es, pt) == 1 and len(words) <= 4)):
        return "pt" if pt > es else "es"
    return "en"


def _stems(text: str, language: str) -> set[str]:
    stop = STOP_WORDS.get(language, set()) | STOP_WORDS["en"]
    return {word[:5] for word in _WORD.findall(text.lower()) if word not in stop and (len(word) > 1 or word.isdigit())}


def _without_title_line(text: str, title: str) -> str:
    """Passages often start with their article's title on a line of its own; the answer already
    names the article, and the bare title would run into the first sentence."""
    first, newline, rest = text.lstrip().partition("\n")
    if newline and rest.strip() and first.strip().casefold() == title.strip().casefold():
        return rest
    return text


def _sentences(text: str) -> list[str]:
    parts = []
    for paragraph in re.split(r"\n\s*\n|\n(?=[-•*]\s)", text):
        paragraph = " ".join(paragraph.split())
        parts.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return parts


def best_passage(question: str, passages: list[Passage], language: str) -> tuple[int, str] | None:
    """The position of the chunk sharing the most words with the question and its best sentences,
    or None."""
    wanted = _stems(question, language)
    if not wanted:
        return None
    needed = max(1, math.ceil(len(wanted) * 0.25))
    best: tuple[int, int, Passage] | None = None
    for position, chunk in enumerate(passages):
        overlap = len(wanted & (_stems(chunk.text, language) | _stems(chunk.article_title, language)))
        if overlap >= needed and (best is None or overlap > best[0]):
            best = (overlap, position, chunk)
    if best is None:
        return None
    position, chunk = best[1], best[2]
    sentences = _sentences(_without_title_line(chunk.text, chunk.article_title))
    scored = [(len(wanted & _stems(s, language)), i) for i, s in enumerate(sentences)]
    chosen = sorted(i for score, i in sorted(scored, key=lambda p: (-p[0], p[1]))[:MAX_SENTENCES] if score > 0)
    if not chosen:
        chosen = [0]
    answer = ""
    for i in chosen:
        candidate = f"{answer} {sentences[i]}".strip()
        if answer and len(candidate) > MAX_ANSWER_CHARS:
            break
        answer = candidate
    if len(answer) > MAX_ANSWER_CHARS:  # one very long sentence: cut at a word boundary
        answer = answer[:MAX_ANSWER_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return position, answer


class OfflineProvider:
    name = "offline"

    def generate(self, request: GenerationRequest) -> GenerationResult:
        started = time.monotonic()
        user_texts = [m.content for m in request.dialogue if m.role == "user"]
        question = user_texts[-1] if user_texts else ""
        parsed: Any = None
        if request.json_schema is not None and request.json_schema_name == JUDGE_SCHEMA_NAME:
            parsed = judge_request(question)  # a trigger's plain-language condition
            text = json.dumps(parsed, ensure_ascii=False)
        elif request.json_schema is not None:
            parsed = extract_fields(request.json_schema, user_texts)
            text = json.dumps(parsed, ensure_ascii=False)
        else:
            language = detect_language(question)
            found = best_passage(question, request.passages, language)
            intro, unknown = FRAMES[language]
            if found is None:
                text = unknown
            else:
                position, passage = found
                title = request.passages[position].source_title
                source = SOURCE[language].format(title) if title else ""
                text = f"{intro.format(source=source)}\n\n{passage} [{position + 1}]"
        return GenerationResult(
            text=text,
            parsed=parsed,
            model=MODEL_ID,
            provider=self.name,
            usage=Usage(
                input_tokens=max(1, sum(estimate_tokens(m.content) for m in request.messages)),
                output_tokens=max(1, estimate_tokens(text)),
            ),
            finish_reason="stop",
            latency_ms=int((time.monotonic() - started) * 1000),
            provider_request_id="",
        )

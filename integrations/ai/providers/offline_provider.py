"""The offline provider: no network, no keys, deterministic. The default when no key is configured.

What it CAN do
- Answer a customer's question from the knowledge passages the caller retrieved
  (`GenerationRequest.passages`): it picks the sentence closest to the last user message by
  meaning (the local multilingual sentence encoder) and by shared words (case-folded, stop words
  removed, words compared by their first five letters so "доставка"/"доставки" or
  "deliver"/"delivery" match), with that sentence's passage's other close sentences (see
  `offline_answer`: up to 3, in their original order, at most 600 characters), and frames them
  politely, naming its source (the file's name for a passage of an attached file, else the
  article's title) and citing it as the prompt asks, "[n]", n being the passage's number: a reply
  cites exactly the passage it used.
- Reply in the conversation's language — Russian, Spanish, Portuguese or English — detected by
  simple rules on the last user message (Cyrillic → Russian; Spanish/Portuguese accents and common
  words; otherwise English).
- Say plainly that it does not know when no sentence is close enough to the question, by words or
  by meaning (and cite nothing).
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
import re
import time
from typing import Any

from integrations.ai.providers.offline_answer import best_passage
from integrations.ai.providers.offline_extraction import extract_fields
from integrations.ai.providers.offline_judge import JUDGE_SCHEMA_NAME, judge_request
from integrations.ai.tokens import estimate_tokens
from integrations.ai.types import GenerationRequest, GenerationResult, Usage

MODEL_ID = "offline-extractive"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


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
            stop = STOP_WORDS.get(language, set()) | STOP_WORDS["en"]
            found = best_passage(question, request.passages, stop)
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

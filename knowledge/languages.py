"""Languages of the knowledge base: detection and the PostgreSQL text-search configuration of each.

Only built-in configurations are used (the embedded PostgreSQL has no contrib modules).
"""

from __future__ import annotations

import re

TS_CONFIGS = {"en": "english", "ru": "russian", "es": "spanish", "pt": "portuguese"}
FALLBACK_CONFIG = "simple"
SEARCH_CONFIGS = ("english", "russian", "spanish", "portuguese", "simple")
STOP_WORD_CONFIGS = ("english", "russian", "spanish", "portuguese")  # the configurations with stop words

_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_STOPWORDS = {
    "en": {
        *("the", "and", "is", "are", "of", "to", "in", "you", "your", "for", "with", "what", "how", "can", "it"),
        *("we", "our", "will", "be", "this", "that", "from", "or", "not", "at", "by", "on", "an", "if", "within"),
    },
    "es": {"el", "la", "los", "las", "de", "que", "y", "en", "es", "por", "para", "con", "una", "su", "cómo", "qué"},
    "pt": {"o", "os", "as", "de", "que", "e", "em", "é", "para", "com", "uma", "não", "seu", "sua", "como", "do", "da"},
}


def ts_config(language: str) -> str:
    return TS_CONFIGS.get((language or "").lower()[:2], FALLBACK_CONFIG)


def detect_language(text: str, default: str = "") -> str:
    """A cheap guess good enough to pick a stemmer: Cyrillic → ru, else stop-word votes."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    if len(_CYRILLIC.findall(sample)) / letters > 0.3:
        return "ru"
    words = [w.lower() for w in _WORD.findall(sample)]
    votes = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    # Spanish and Portuguese share many words; their distinctive letters break the tie.
    votes["pt"] += 2 * len(re.findall(r"[ãõç]|ção", sample.lower()))
    votes["es"] += 2 * len(re.findall(r"[ñ¿¡]|ción", sample.lower()))
    best = max(votes, key=lambda lang: votes[lang])
    # A short text (a title, an FAQ answer) may hold a single stop word: enough when it is the only one.
    alone = votes[best] == 1 and sum(votes.values()) == 1 and len(words) <= 12
    return best if votes[best] >= 2 or alone else default

"""Names that survive translation: hybrid search's third signal for questions asked in another
language than the passage that answers them.

A Russian question about an English article shares no word with it, except its names: "маяк
Харвик" is the Harwick Lighthouse, "остров Фенн" the Island of Fenn, "гамбит Варнхольта" the
Varnholt Gambit. The full-text half cannot see that (different scripts, different stems), and the
vectors of a multilingual model place such passages near the question but often past the distance
ceiling (0.80 for "Кто основал обсерваторию в Кестхее?" → "Keszthely observatory", ceiling 0.78).

So each name becomes a key that reads the same in both scripts: Cyrillic transliterated to Latin,
a Russian case ending cut ("Варнхольта" → "varnholt"), then a consonant skeleton — vowels
dropped (one "a" kept for a word that opens with a vowel), letters that transcriptions swap merged
(c/k/q, v/w/f, s/z, sh/zh/ts → s, qu → kv, kh → h) and doubled letters collapsed: Harwick and Харвик
are both "hrvk", Calder and Колдер "kldr", Osterby and Остерби "astrb", Keszthely "kstl" and Кестхее
"kst" (a key of three letters or more matches a longer one it starts). A name
is a capitalised word that does not open a sentence (a question opens with "Кто", "When"; a
passage's sentence-initial words count, its title's too), or a number of two digits or more.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC_TO_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфхыэ", "abvgdeziyklmnoprstufhye", strict=True)),
    **{"ё": "e", "ж": "zh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ь": "", "ю": "yu", "я": "ya"},
}
# Russian noun and adjective endings, longest first; a stem keeps at least three letters.
_RUSSIAN_ENDINGS = [
    *("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими"),
    *("ов", "ев", "ей", "ой", "ом", "ем", "ам", "ям", "ах", "ях", "ее", "ие", "ые"),
    *("а", "я", "у", "ю", "е", "и", "ы", "о"),
]
_SOUNDS = (("sch", "s"), ("tch", "c"), ("ch", "c"), ("ck", "k"), ("ph", "f"), ("qu", "kv"), ("th", "t"))
_SOUNDS += (("kh", "h"), ("zh", "s"), ("sh", "s"), ("ts", "s"), ("tz", "s"), ("x", "ks"), ("hh", "h"))
_MERGED = str.maketrans("cqwfzj", "kkvvsy")
_TOKEN = re.compile(r"[^\W_]+|[.!?…]", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Capitalised words that open passages' sentences without naming anything.
_COMMON = {"the", "its", "it", "this", "these", "there", "they", "he", "she", "his", "her", "in", "on", "at", "a", "an"}
MIN_PREFIX = 3
_SENTENCE_ENDS = frozenset(".!?…")
_VOWELS = set("aeiouy")


def skeleton(word: str) -> str:
    """The word's key: transliterated, its Russian ending cut, consonants only, in classes."""
    word = word.lower()
    if _CYRILLIC.search(word):
        for ending in _RUSSIAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        word = "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in word)
    word = "".join(ch for ch in unicodedata.normalize("NFKD", word) if ch.isascii()).replace("ł", "l")
    for sound, letter in _SOUNDS:
        word = word.replace(sound, letter)
    # A word opening with a vowel keeps one ("a"): Ивана is not Fenn, Остерби is Osterby.
    opening = "a" if word[:1] in _VOWELS else ""
    word = opening + re.sub(r"[aeiouy]", "", word.translate(_MERGED))
    return re.sub(r"(.)\1+", r"\1", word)


def name_keys(text: str, *, sentence_initial: bool) -> set[str]:
    """The keys of the text's names. `sentence_initial`: whether a capitalised word opening a
    sentence counts (a passage's, a title's: yes; a question's first word: no)."""
    keys: set[str] = set()
    opening = True
    for token in _TOKEN.findall(text):
        if token in _SENTENCE_ENDS:
            opening = True
            continue
        first, opening = opening, False
        if token.isdigit():
            if len(token) >= 2:
                keys.add(token)
            continue
        if not token[0].isupper() or (first and not sentence_initial) or token.lower() in _COMMON:
            continue
        key = skeleton(token)
        if len(key) >= 2 and not key.isdigit():
            keys.add(key)
    return keys


def shared_share(question_keys: set[str], passage_keys: set[str]) -> float:
    """The share of the question's names the passage holds (0 when the question names nothing)."""
    if not question_keys:
        return 0.0
    long_keys = [other for other in passage_keys if len(other) >= MIN_PREFIX]
    found = 0
    for key in question_keys:
        if key in passage_keys or (
            len(key) >= MIN_PREFIX and any(other.startswith(key) or key.startswith(other) for other in long_keys)
        ):
            found += 1
    return found / len(question_keys)


def is_cyrillic(text: str) -> bool:
    """Whether the text is mostly written in Cyrillic (its names need transliterating to meet Latin ones)."""
    letters = sum(ch.isalpha() for ch in text) or 1
    return len(_CYRILLIC.findall(text)) / letters > 0.3

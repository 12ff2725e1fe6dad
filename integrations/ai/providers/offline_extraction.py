"""The offline provider's structured extraction (see offline_provider's docstring for what it can and
cannot do): each property of an object schema filled by rules on the customer's messages, latest
first; an update rule's answer object (`value` + `confidence` + `evidence`) gets its value the same
way, with the customer's message as the evidence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _stems(text: str) -> set[str]:
    """Words of three letters and more by their first five ("доставка"/"доставки" match)."""
    return {word[:5] for word in _WORD.findall(text.lower()) if len(word) > 2}


# -- rules ------------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])(\+?\d[\d\s\-()]{5,}\d)(?![\w])")
_NUMBER = re.compile(r"(?<![\w.,])-?\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")
_MONEY_HINT = re.compile(r"[$€£₽]|\b(?:usd|eur|rub|brl|руб\w*|долл\w*|евро|dólar\w*|reais|real|pesos?)\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{2,4})\b")
_YES = {
    "yes",
    "yeah",
    "yep",
    "sure",
    "ok",
    "okay",
    "да",
    "конечно",
    "согласен",
    "согласна",
    "ага",
    "sí",
    "si",
    "claro",
    "sim",
    "certo",
    "correct",
    "верно",
}
_NO = {"no", "nope", "нет", "не", "não", "nao", "nunca", "never"}
_RELATIVE_DAYS = {
    "today": 0,
    "сегодня": 0,
    "hoy": 0,
    "hoje": 0,
    "tomorrow": 1,
    "завтра": 1,
    "mañana": 1,
    "amanhã": 1,
    "послезавтра": 2,
}
_MONEY_NAMES = re.compile(
    r"price|amount|budget|cost|sum(?!mar)|total|salary|money|цен|сумм|бюджет|стоим|precio|presupuesto|preço|orçamento"
)


def _number(raw: str) -> float | int:
    value = float(raw.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return int(value) if value.is_integer() else value


def _field_kind(name: str, schema: dict[str, Any]) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    fmt, lowered = schema.get("format", ""), name.lower()
    if "enum" in schema:
        return "enum"
    if kind == "array" and "enum" in (schema.get("items") or {}):
        return "enum_list"
    if kind == "boolean":
        return "yes_no"
    if kind in ("integer", "number"):
        return "money" if _MONEY_NAMES.search(lowered) else kind
    if fmt == "email" or any(hint in lowered for hint in ("email", "e_mail", "e-mail")):
        return "email"
    if fmt == "phone" or any(hint in lowered for hint in ("phone", "tel", "mobile", "whatsapp")):
        return "phone"
    if fmt in ("date", "date-time") or "date" in lowered or "дата" in lowered:
        return "date"
    if _MONEY_NAMES.search(lowered):
        return "money"
    return "unknown"


def _extract(kind: str, text: str, schema: dict[str, Any], today: dt.date) -> Any:
    if kind == "email":
        match = _EMAIL.search(text)
        return match.group(0) if match else None
    if kind == "phone":
        for match in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", match.group(1))
            if 7 <= len(digits) <= 15:
                return ("+" if match.group(1).startswith("+") else "") + digits
        return None
    if kind in ("number", "integer", "money"):
        # Phone numbers ("+…" or ten digits and more) and dates are not amounts.
        phones = [
            m for m in _PHONE.finditer(text) if m.group(1).startswith("+") or len(re.sub(r"\D", "", m.group(1))) >= 10
        ]
        taken = [m.span() for m in (*phones, *_DMY_DATE.finditer(text), *_ISO_DATE.finditer(text))]
        candidates = [m for m in _NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in taken)]
        if kind == "money":
            hinted = [m for m in candidates if _MONEY_HINT.search(text[max(0, m.start() - 4) : m.end() + 12])]
            candidates = hinted or candidates
        if not candidates:
            return None
        value = _number(candidates[0].group(0))
        return int(value) if schema.get("type") == "integer" else value
    if kind == "date":
        if match := _ISO_DATE.search(text):
            year, month, day = map(int, match.groups())
        elif match := _DMY_DATE.search(text):
            day, month, year = map(int, match.groups())
            year += 2000 if year < 100 else 0
        else:
            words = set(_WORD.findall(text.lower()))
            offsets = [offset for word, offset in _RELATIVE_DAYS.items() if word in words]
            return (today + dt.timedelta(days=max(offsets))).isoformat() if offsets else None
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if kind == "yes_no":
        words = _WORD.findall(text.lower())
        for word in words:
            if word in _YES:
                return True
            if word in _NO:
                return False
        return None
    if kind == "enum":
        lowered = text.lower()
        for option in schema["enum"]:
            if option is not None and re.search(rf"(?<!\w){re.escape(str(option).lower())}", lowered):
                return option
        stems = _stems(text)
        for option in schema["enum"]:
            if option is not None and _stems(str(option)) & stems:
                return option
        return None
    if kind == "enum_list":
        lowered = text.lower()
        found = [o for o in schema["items"]["enum"] if re.search(rf"(?<!\w){re.escape(str(o).lower())}", lowered)]
        return found or None
    return None


EVIDENCE_KEYS = ("evidence", "quote")
FOUND_CONFIDENCE = 0.9  # a rule matched the customer's words; the rules never weigh how sure they are


def _answer_shape(schema: dict[str, Any]) -> str | None:
    """The evidence key when `schema` is an answer object (`value` + `confidence` + evidence)."""
    properties = schema.get("properties") or {}
    if schema.get("type") != "object" or "value" not in properties or "confidence" not in properties:
        return None
    return next((key for key in EVIDENCE_KEYS if key in properties), None)


def _extract_answer(name: str, schema: dict[str, Any], texts: list[str], today: dt.date) -> dict[str, Any]:
    """One answer object: the value's kind from its schema, hinted by the property's name and the
    descriptions (the rule's name and instruction, the value's format note)."""
    value_schema = schema["properties"]["value"] or {}
    hint = " ".join((name, schema.get("description", ""), value_schema.get("description", "")))
    kind = _field_kind(hint, value_schema)
    for text in reversed(texts):
        value = _extract(kind, text, value_schema, today)
        if value is not None:
            return {"value": value, "confidence": FOUND_CONFIDENCE, _answer_shape(schema): text[:300]}
    return {"value": None, "confidence": 0, _answer_shape(schema): ""}


def extract_fields(schema: dict[str, Any], texts: list[str], *, today: dt.date | None = None) -> dict[str, Any]:
    """Fill an object schema's properties by rules from `texts` (latest first wins)."""
    today = today or dt.date.today()
    result: dict[str, Any] = {}
    for name, sub in (schema.get("properties") or {}).items():
        if _answer_shape(sub or {}):
            result[name] = _extract_answer(name, sub, texts, today)
            continue
        kind = _field_kind(name, sub or {})
        value = None
        for text in reversed(texts):
            value = _extract(kind, text, sub or {}, today)
            if value is not None:
                break
        result[name] = value
    return result

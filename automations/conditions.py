"""Trigger conditions (SPEC §4.2): our own JSON format, checked when a trigger is saved and evaluated
without `eval`. The trigger engine builds the facts of a conversation and passes a judge for the
plain-language tests; this module knows nothing of models, the CRM or the clock.

A condition is a group or a test:

    {"all": [c, …]}    every one holds          {"any": [c, …]}    at least one holds
    {"not": c}         it does not hold
    {"fact": "message.text", "op": "contains", "value": "discount"}
    {"fact": "lead.field", "field_id": 5001, "op": "gte", "value": 1000}
    {"ai": "the customer asks for a discount", "min_confidence": 0.7}

Structured tests are evaluated before plain-language ones and a group stops as soon as its answer is
known, so the model is asked only when the rest of the condition cannot decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 6
MAX_TESTS = 50
MAX_PATTERN = 200
MAX_MATCHED_TEXT = 4000  # a regex reads at most this much of a message
DEFAULT_MIN_CONFIDENCE = 0.6

TEXT, NUMBER, LIST, TIME, FIELD = "text", "number", "list", "time", "field"

# Each fact a condition may test, and its kind (which operators apply).
FACTS: dict[str, str] = {
    "message.text": TEXT,
    "message.language": TEXT,
    "conversation.channel": TEXT,
    "conversation.ai_replies": NUMBER,
    "customer.silent_minutes": NUMBER,
    "lead.pipeline_id": NUMBER,
    "lead.stage_id": NUMBER,
    "lead.tags": LIST,
    "lead.field": FIELD,  # with "field_id": a CRM field's value(s), compared as text or as numbers
    "time.weekday": NUMBER,  # 1 = Monday … 7 = Sunday, in the workspace's time zone
    "time.local": TIME,  # "HH:MM" in the workspace's time zone
}

OPERATORS: dict[str, set[str]] = {
    TEXT: {"contains", "not_contains", "equals", "not_equals", "matches", "in", "not_in", "is_empty", "is_not_empty"},
    NUMBER: {"equals", "not_equals", "gt", "gte", "lt", "lte", "between", "in", "not_in", "is_empty", "is_not_empty"},
    LIST: {"includes", "excludes", "is_empty", "is_not_empty"},
    TIME: {"between", "before", "after"},
}
OPERATORS[FIELD] = OPERATORS[TEXT] | OPERATORS[NUMBER]
NUMERIC_OPS = {"gt", "gte", "lt", "lte", "between"}
NO_VALUE = {"is_empty", "is_not_empty"}
# A quantified group that is itself quantified, e.g. (a+)+ or (\w*)*: the shape of catastrophic backtracking.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Judgement:
    """A model's answer to a plain-language test."""

    answer: bool
    confidence: float
    reason: str = ""


Judge = Callable[[str], Judgement]


@dataclass
class Verdict:
    """Whether a condition holds, and why: one line per test that was evaluated, in order."""

    matched: bool
    why: list[str] = field(default_factory=list)
    asked_ai: int = 0


# -- validation ------------------------------------------------------------------------------------


def condition_errors(condition: Any) -> dict[str, list[str]]:
    """What is wrong with a condition, by path ("all.1.op"); empty when it can be saved."""
    errors: dict[str, list[str]] = {}
    count = [0]
    _check(condition, "", 0, errors, count)
    if count[0] > MAX_TESTS:
        errors.setdefault("", []).append(f"At most {MAX_TESTS} tests in one condition.")
    return errors


def _check(node: Any, path: str, depth: int, errors: dict[str, list[str]], count: list[int]) -> None:
    def error(where: str, message: str) -> None:
        errors.setdefault(".".join(p for p in (path, where) if p), []).append(message)

    if not isinstance(node, Mapping):
        return error("", "A condition is an object: a group (all, any, not) or a test (fact or ai).")
    if depth > MAX_DEPTH:
        return error("", f"Groups nest at most {MAX_DEPTH} deep.")
    kinds = [key for key in ("all", "any", "not", "fact", "ai") if key in node]
    if len(kinds) != 1:
        return error("", "Give exactly one of all, any, not, fact or ai.")
    kind = kinds[0]
    if kind in ("all", "any"):
        children = node[kind]
        if not isinstance(children, list) or not children:
            return error(kind, "A group needs a list of at least one condition.")
        for index, child in enumerate(children):
            _check(child, ".".join(p for p in (path, kind, str(index)) if p), depth + 1, errors, count)
        return None
    if kind == "not":
        return _check(node["not"], ".".join(p for p in (path, "not") if p), depth + 1, errors, count)
    count[0] += 1
    if kind == "ai":
        return _check_ai(node, error)
    return _check_fact(node, error)


def _check_ai(node: Mapping, error: Callable[[str, str], None]) -> None:
    question = node.get("ai")
    if not isinstance(question, str) or not question.strip():
        error("ai", "Describe the condition in a sentence.")
    elif len(question) > 500:
        error("ai", "At most 500 characters.")
    confidence = node.get("min_confidence", DEFAULT_MIN_CONFIDENCE)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        error("min_confidence", "A number from 0 to 1.")


def _check_fact(node: Mapping, error: Callable[[str, str], None]) -> None:
    fact, op = node.get("fact"), node.get("op")
    kind = FACTS.get(fact) if isinstance(fact, str) else None
    if kind is None:
        return error("fact", f"Unknown fact; one of {', '.join(sorted(FACTS))}.")
    if fact == "lead.field" and (isinstance(node.get("field_id"), bool) or not isinstance(node.get("field_id"), int)):
        error("field_id", "The CRM field's id.")
    if op not in OPERATORS[kind]:
        return error("op", f"For {fact}: one of {', '.join(sorted(OPERATORS[kind]))}.")
    if op in NO_VALUE:
        return None
    if "value" not in node:
        return error("value", "A value to compare with.")
    value = node["value"]
    if op == "matches":
        return _check_pattern(value, error)
    if op in ("in", "not_in", "between"):
        if not isinstance(value, list) or not value or (op == "between" and len(value) != 2):
            return error("value", "Two values: from and to." if op == "between" else "A list of values.")
        items = value
    else:
        items = [value]
    for item in items:
        numeric = kind == NUMBER or (kind == FIELD and op in NUMERIC_OPS)
        if numeric and (isinstance(item, bool) or not isinstance(item, int | float)):
            return error("value", "A number.")
        if kind == TIME and not (isinstance(item, str) and _CLOCK.match(item)):
            return error("value", "A time of day as HH:MM (24 h).")
        if kind in (TEXT, LIST, FIELD) and (isinstance(item, bool) or not isinstance(item, str | int | float)):
            return error("value", "Text.")
    return None


def _check_pattern(pattern: Any, error: Callable[[str, str], None]) -> None:
    if not isinstance(pattern, str) or not pattern:
        return error("value", "A regular expression.")
    if len(pattern) > MAX_PATTERN:
        return error("value", f"At most {MAX_PATTERN} characters.")
    if _NESTED_QUANTIFIER.search(pattern):
        return error("value", "A repeated group that repeats inside, like (a+)+, can take forever to match.")
    try:
        re.compile(pattern)
    except re.error as exc:
        return error("value", f"Not a regular expression: {exc}.")
    return None


# -- evaluation ------------------------------------------------------------------------------------


def evaluate(condition: Mapping, facts: Mapping[str, Any], judge: Judge | None = None) -> Verdict:
    """Evaluate a valid condition (see condition_errors) against a conversation's facts. `facts` maps
    fact names to values ("lead.field" to {field_id: value or [values]}); a missing fact is empty.
    Without a judge, a plain-language test does not hold."""
    verdict = Verdict(matched=False)
    verdict.matched = _holds(condition, facts, judge, verdict)
    return verdict


def _holds(node: Mapping, facts: Mapping[str, Any], judge: Judge | None, verdict: Verdict) -> bool:
    if "all" in node or "any" in node:
        every = "all" in node
        for child in sorted(node["all" if every else "any"], key=_needs_ai):  # the model last
            if _holds(child, facts, judge, verdict) != every:
                return not every
        return every
    if "not" in node:
        return not _holds(node["not"], facts, judge, verdict)
    if "ai" in node:
        return _ask(node, judge, verdict)
    held = _test(node, facts)
    verdict.why.append(f"{_describe(node)}: {'yes' if held else 'no'}")
    return held


def _needs_ai(node: Mapping) -> bool:
    if "ai" in node:
        return True
    if "not" in node:
        return _needs_ai(node["not"])
    return any(_needs_ai(child) for child in node.get("all", node.get("any", [])))


def _ask(node: Mapping, judge: Judge | None, verdict: Verdict) -> bool:
    question = node["ai"]
    if judge is None:
        verdict.why.append(f"“{question}”: not asked (no model)")
        return False
    judgement = judge(question)
    verdict.asked_ai += 1
    needed = node.get("min_confidence", DEFAULT_MIN_CONFIDENCE)
    held = judgement.answer and judgement.confidence >= needed
    answer = "yes" if judgement.answer else "no"
    because = f" — {judgement.reason}" if judgement.reason else ""
    verdict.why.append(f"“{question}”: {answer} ({judgement.confidence:.2f}, needs {needed:.2f}){because}")
    return held


def _describe(node: Mapping) -> str:
    fact = node["fact"] if node["fact"] != "lead.field" else f"lead.field[{node.get('field_id')}]"
    return f"{fact} {node['op']}" + (f" {node['value']!r}" if "value" in node else "")


def _fact_value(node: Mapping, facts: Mapping[str, Any]) -> Any:
    if node["fact"] == "lead.field":
        fields = facts.get("lead.field") or {}
        return fields.get(node["field_id"], fields.get(str(node["field_id"])))
    return facts.get(node["fact"])


def _test(node: Mapping, facts: Mapping[str, Any]) -> bool:
    op, kind = node["op"], FACTS[node["fact"]]
    value = _fact_value(node, facts)
    values = [v for v in (value if isinstance(value, list | tuple | set) else [value]) if v not in (None, "")]
    if op == "is_empty":
        return not values
    if op == "is_not_empty":
        return bool(values)
    if not values:
        return op in ("not_contains", "not_equals", "not_in", "excludes")
    wanted = node["value"]
    if kind == LIST:
        present = {_fold(v) for v in values}
        return (_fold(wanted) in present) == (op == "includes")
    if kind == TIME:
        return _clock_test(op, str(values[0]), wanted)
    # A text or number fact with several values (a multiselect field) holds when any value does,
    # and a negative test when none of them fails it.
    negative = op in ("not_contains", "not_equals", "not_in")
    results = [_scalar_test(op, v, wanted, kind) for v in values]
    return all(results) if negative else any(results)


def _scalar_test(op: str, value: Any, wanted: Any, kind: str) -> bool:
    if op == "matches":
        return re.search(wanted, str(value)[:MAX_MATCHED_TEXT], re.IGNORECASE) is not None
    if kind == NUMBER or op in NUMERIC_OPS or _both_numbers(value, wanted):
        number = _number(value)
        if number is None:
            return op in ("not_equals", "not_in")
        return _compare(op, number, wanted)
    text = _fold(value)
    match op:
        case "contains":
            return _fold(wanted) in text
        case "not_contains":
            return _fold(wanted) not in text
        case "equals":
            return text == _fold(wanted)
        case "not_equals":
            return text != _fold(wanted)
        case "in":
            return text in {_fold(w) for w in wanted}
        case "not_in":
            return text not in {_fold(w) for w in wanted}
    return False


def _compare(op: str, number: float, wanted: Any) -> bool:
    match op:
        case "equals":
            return number == wanted
        case "not_equals":
            return number != wanted
        case "gt":
            return number > wanted
        case "gte":
            return number >= wanted
        case "lt":
            return number < wanted
        case "lte":
            return number <= wanted
        case "between":
            return min(wanted) <= number <= max(wanted)
        case "in":
            return number in wanted
        case "not_in":
            return number not in wanted
    return False


def _clock_test(op: str, now: str, wanted: Any) -> bool:
    if op == "before":
        return now < wanted
    if op == "after":
        return now >= wanted
    start, end = wanted
    # A window past midnight (22:00–06:00) holds late in the evening and early in the morning.
    return start <= now < end if start <= end else now >= start or now < end


def _both_numbers(value: Any, wanted: Any) -> bool:
    return _number(value) is not None and isinstance(wanted, int | float) and not isinstance(wanted, bool)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def _fold(value: Any) -> str:
    return str(value).casefold().strip()

"""The offline provider's judge of plain-language trigger conditions ("the customer asks for a
discount"): no model, a word rule, so a workspace without keys can still try an AI-judged trigger.

The request (json_schema_name `JUDGE_SCHEMA_NAME`, built by the trigger engine) carries, in its last
user message, a line `Condition: …` and, after a line starting `Customer's messages`, the messages.

What it CAN do
- Take the condition's meaningful words (stop words and the words every condition has — customer,
  asks, wants, mentions… — removed), compare them with the messages' words by their first five
  letters ("discount"/"discounts", "доставка"/"доставки"), and count a small set of synonyms as the
  same concept (discount ~ cheaper/sale/coupon/promo; person ~ human/operator/manager; refund ~
  return/money back; price ~ cost/"how much"; delivery ~ shipping; cancel; complaint). The condition
  holds when at least half of its concepts appear; the confidence grows with the share found; the
  reason names the words found or missing.

What it CANNOT do
- Understand negation, intent or tone ("does not want a discount" holds on "discount"), paraphrase
  beyond the synonym table, or read anything but the customer's messages.
"""

from __future__ import annotations

import math
import re
from typing import Any

JUDGE_SCHEMA_NAME = "condition_judgement"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> set[str]:
    return set(text.split())


_IGNORED = _words(
    """
    a an the is are was were be been am do does did i you he she it we they me my your our their of to in on for at
    by with from and or but can could would should will may might how what when where which who this that these those
    there here have has had any some please about if so just also very them his her its
    customer customers client clients user person's buyer lead asks ask asking asked says say said wants want wanting
    wanted mentions mention mentioned message messages writes write wrote talks talk question questions request
    requests requesting something anything seems looks tells
    и в во на с к по о от до за из у для не но а или ли же бы что как где когда это этот эта тот та я вы мы он она
    они клиент клиента покупатель спрашивает просит хочет пишет упоминает сообщение сообщении говорит про
    el la los las un una de del al en y o que es para por con cliente pregunta pide quiere dice mensaje
    os as um uma do da dos das no na e pergunta pede quer diz mensagem
    """
)

# Concepts a customer names in many ways; each group is one concept. Words compared by their stem.
_SYNONYMS = [
    "discount discounts cheaper sale coupon promo promotion reduction скидка скидку дешевле акция промокод descuento "
    "desconto",
    "human person operator manager agent someone people человек оператор менеджер живой humano persona pessoa",
    "refund return money back возврат вернуть reembolso devolución devolução",
    "price cost costs much pricing цена стоимость стоит сколько precio cuesta preço custa",
    "delivery deliver shipping ship courier доставка доставку курьер envío entrega",
    "cancel cancellation отменить отмена cancelar",
    "complaint complain angry terrible awful жалоба ужасно плохо queja reclamação",
]


def _stem(word: str) -> str:
    return word[:5]


_GROUP_OF = {_stem(word): index for index, group in enumerate(_SYNONYMS) for word in group.split()}


def _concepts(text: str) -> dict[str, str]:
    """concept key → the word that named it (a synonym group, or a word's stem)."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text.casefold()):
        if word in _IGNORED or (len(word) < 3 and not word.isdigit()):
            continue
        stem = _stem(word)
        key = f"group:{_GROUP_OF[stem]}" if stem in _GROUP_OF else f"word:{stem}"
        found.setdefault(key, word)
    return found


def judge_request(text: str) -> dict[str, Any]:
    """{"holds", "confidence", "reason"} for a judge request's user message (see the module docstring)."""
    condition, messages = "", []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Condition:"):
            condition = line.removeprefix("Condition:").strip()
        elif line.startswith("Customer's messages"):
            messages = lines[index + 1 :]
            break
    wanted = _concepts(condition)
    if not wanted:
        return {"holds": False, "confidence": 0.0, "reason": "The condition has no word to look for."}
    present = _concepts("\n".join(messages))
    found = [
        f"“{present[key]}”" + (f" (for “{word}”)" if _stem(present[key]) != _stem(word) else "")
        for key, word in wanted.items()
        if key in present
    ]
    missing = [word for key, word in wanted.items() if key not in present]
    share = len(found) / len(wanted)
    holds = bool(found) and len(found) >= math.ceil(len(wanted) / 2)
    confidence = round(0.5 + 0.5 * (share if holds else 1 - share), 2)
    if holds:
        reason = "The messages mention " + ", ".join(found)
    else:
        reason = "The messages do not mention " + ", ".join(f"“{word}”" for word in missing)
    return {"holds": holds, "confidence": confidence, "reason": reason + "."}

"""How many tokens a text costs, estimated where no tokenizer answers: chunk sizes, the prompt's
budgets, the offline model's usage and the embedding calls' ledger entries all count the same way."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def estimate_tokens(text: str) -> int:
    """Tokens as LLM tokenizers count them, roughly: ~4 characters per token, at least one per word."""
    return max(len(text) // 4, len(_WORD.findall(text))) if text else 0

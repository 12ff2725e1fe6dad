"""Demo knowledge base: a few short articles in English and Russian (idempotent)."""

from __future__ import annotations

from knowledge import services
from knowledge.models import Article, Category

ARTICLES = [
    (
        "Delivery",
        "en",
        "Shipping",
        "<p>Orders ship within one business day. Delivery in the city takes 1–2 days, "
        "elsewhere 3–7 days. Express delivery arrives the next day.</p>",
    ),
    (
        "Returns and refunds",
        "en",
        "Shipping",
        "<p>Unused items can be returned within 30 days. Refunds go back to "
        "the original payment method within 5 business days.</p>",
    ),
    (
        "Способы оплаты",
        "ru",
        "Оплата",
        "<p>Мы принимаем карты Visa, Mastercard и МИР, а также оплату по счёту для "
        "юридических лиц. Наличными курьеру оплатить нельзя.</p>",
    ),
    (
        "Часы работы поддержки",
        "ru",
        "Оплата",
        "<p>Поддержка отвечает с 9:00 до 18:00 по московскому времени, с понедельника по пятницу.</p>",
    ),
]


def seed(*, workspace, user) -> None:
    if Article.objects.exists():
        return
    categories: dict[str, Category] = {}
    for title, language, category_name, body in ARTICLES:
        if category_name not in categories:
            categories[category_name] = services.category_create(workspace=workspace, name=category_name)
        services.article_create(
            workspace=workspace,
            actor=user,
            title=title,
            body=body,
            status=Article.Status.PUBLISHED,
            language=language,
            categories=[categories[category_name]],
        )

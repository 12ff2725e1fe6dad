import datetime as dt

from automations.extraction import RuleSpec, extraction_schema
from integrations.ai.providers.offline_provider import OfflineProvider, detect_language, extract_fields
from integrations.ai.types import GenerationRequest, Passage

RU_ARTICLE = Passage(
    article_title="Доставка",
    text="Мы доставляем заказы по всей России. Доставка по Москве стоит 300 рублей и занимает один день. "
    "В регионы доставка занимает от 3 до 7 дней.\n\nЗаказы свыше 5000 рублей доставляем бесплатно.",
)
EN_ARTICLE = Passage(
    article_title="Returns policy",
    text="You can return any item within 30 days of delivery. Refunds go to the original payment method "
    "within 5 business days. Items must be unused and in their original packaging.",
)


def answer(question: str) -> str:
    request = GenerationRequest(messages=[{"role": "user", "content": question}], passages=[RU_ARTICLE, EN_ARTICLE])
    return OfflineProvider().generate(request).text


def test_a_russian_question_is_answered_from_the_russian_article_in_russian():
    text = answer("Сколько стоит доставка по Москве?")
    assert text.startswith("Вот что я нашёл в статье «Доставка»")
    assert "Доставка по Москве стоит 300 рублей и занимает один день." in text
    assert "return" not in text


def test_an_english_question_is_answered_from_the_english_article():
    text = answer("How many days do I have to return an item?")
    assert text.startswith("Here is what I found in “Returns policy”")
    assert "You can return any item within 30 days of delivery." in text


def test_it_says_it_does_not_know_when_nothing_matches():
    assert answer("What is the capital of France?").startswith("I'm sorry, I don't have information")
    assert answer("Какая погода завтра в Париже?").startswith("К сожалению, у меня нет информации")
    assert "[" not in answer("What is the capital of France?"), "an answer that used nothing cites nothing"


def test_it_cites_the_one_passage_it_used_by_its_number():
    assert answer("How many days do I have to return an item?").endswith("[2]")
    assert answer("Сколько стоит доставка по Москве?").endswith("[1]")


def test_a_file_passage_is_named_by_the_file():
    returns_file = Passage(
        article_title="Policies",
        file_name="returns.md",
        text="You can return any item within 30 days of delivery for a full refund.",
    )
    request = GenerationRequest(
        messages=[{"role": "user", "content": "Can I return an item?"}], passages=[RU_ARTICLE, returns_file]
    )
    text = OfflineProvider().generate(request).text
    assert text.startswith("Here is what I found in “returns.md”") and text.endswith("[2]")
    assert returns_file.citation == "returns.md"
    assert Passage(text="x", article_title="Policies", file_name="guide.pdf", page=3).citation == "guide.pdf, p. 3"


def test_it_is_deterministic():
    assert answer("Сколько стоит доставка по Москве?") == answer("Сколько стоит доставка по Москве?")


def test_languages_are_detected_by_simple_rules():
    assert detect_language("Привет") == "ru"
    assert detect_language("¿Cuánto cuesta el envío?") == "es"
    assert detect_language("Vocês fazem entrega? Não sei") == "pt"
    assert detect_language("Do you ship to Canada?") == "en"
    assert detect_language("Do you sell spaceships?") == "en"  # "do" is also Portuguese
    assert detect_language("Quanto custa a entrega?") == "pt"
    assert detect_language("Tem entrega em Lisboa?") == "pt"
    assert detect_language("Hola, quiero el precio") == "es"


def test_structured_extraction_by_rules():
    schema = {
        "type": "object",
        "properties": {
            "phone": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "budget": {"type": "number"},
            "visit_date": {"type": "string", "format": "date"},
            "agrees": {"type": "boolean"},
            "plan": {"type": "string", "enum": ["basic", "pro", "enterprise"]},
            "guests": {"type": "integer"},
            "name": {"type": "string"},
        },
    }
    messages = [
        "Hi, call me at +7 (915) 123-45-67 or write to ann@example.com",
        "Yes, the Pro plan please, for 12 guests, budget $1 500, on 12.03.2026",
    ]
    assert extract_fields(schema, messages) == {
        "phone": "+79151234567",
        "email": "ann@example.com",
        "budget": 1500,
        "visit_date": "2026-03-12",
        "agrees": True,
        "plan": "pro",
        "guests": 12,
        "name": None,  # free text is beyond the rules
    }
    tomorrow = extract_fields(
        {"properties": {"date": {"type": "string"}}}, ["Давайте завтра"], today=dt.date(2026, 1, 31)
    )
    assert tomorrow == {"date": "2026-02-01"}
    assert extract_fields({"properties": {"ok": {"type": "boolean"}}}, ["Нет, спасибо"]) == {"ok": False}


def test_a_json_schema_request_returns_parsed_json():
    request = GenerationRequest(
        messages=[{"role": "user", "content": "my email is bob@example.org"}],
        json_schema={"type": "object", "properties": {"email": {"type": "string"}}},
    )
    result = OfflineProvider().generate(request)
    assert result.parsed == {"email": "bob@example.org"}


def test_a_title_line_does_not_run_into_the_answer():
    from integrations.ai.types import GenerationRequest, Passage

    request = GenerationRequest(
        provider="offline",
        messages=[{"role": "user", "content": "How long does delivery take?"}],
        passages=[Passage(article_title="Delivery times", text="Delivery times\nWe deliver orders within 3 days.")],
    )
    text = OfflineProvider().generate(request).text
    assert "We deliver orders within 3 days." in text
    assert "Delivery times We deliver" not in text


def test_update_rule_answers_are_filled_by_the_rules():
    """The update rules' schema (automations.extraction): one answer object per rule, its value typed
    after the CRM field, with a confidence and the customer's words."""
    rules = [
        RuleSpec(1, "Source", "Where the customer heard of us", "select", ("Website", "WhatsApp", "Instagram")),
        RuleSpec(2, "Follow-up date", "When to call back", "date"),
        RuleSpec(3, "Units", "How many units", "numeric"),
        RuleSpec(4, "Urgent", "Whether it is urgent", "checkbox"),
        RuleSpec(5, "Mobile", "The customer's number", "multitext", field_code="PHONE"),
        RuleSpec(6, "Mail", "Where to send the offer", "multitext", field_code="EMAIL"),
        RuleSpec(7, "Interests", "What they want", "multiselect", ("Pricing", "Delivery", "Demo")),
        RuleSpec(8, "Summary", "What they need, in a sentence", "text"),
    ]
    texts = [
        "Hello, I found you on instagram",
        "Call me 15.01.2027 at +55 11 99999-0000 or ana@example.com, I need 120 units. Yes, urgent. Pricing and demo",
    ]
    got = extract_fields(extraction_schema(rules), texts)
    values = {name: answer["value"] for name, answer in got.items()}
    assert values == {
        "rule_1": "Instagram",
        "rule_2": "2027-01-15",
        "rule_3": 120,
        "rule_4": True,
        "rule_5": "+5511999990000",
        "rule_6": "ana@example.com",
        "rule_7": ["Pricing", "Demo"],
        "rule_8": None,
    }
    assert got["rule_1"]["evidence"] == texts[0] and got["rule_2"]["evidence"] == texts[1]
    assert got["rule_1"]["confidence"] > 0.5 and got["rule_8"] == {"value": None, "confidence": 0, "evidence": ""}


LIGHTHOUSES = [
    Passage(
        article_title="Harwick Lighthouse",
        text="The Harwick Lighthouse stands on a granite spit at the mouth of the Tollen estuary. It was lit for "
        "the first time in 1847 and its lamp burned whale oil until 1902.",
    ),
    Passage(
        article_title="Dunmore Lighthouse",
        text="The Dunmore Lighthouse guards the northern approach to the Tollen estuary. Its first keeper, "
        "Elias Brannock, served there for forty-one years.",
    ),
]


def test_a_question_in_another_language_is_answered_by_meaning():
    """No word in common with the passages: the sentence encoder finds the answer (words alone
    said "I don't know")."""
    request = GenerationRequest(
        messages=[{"role": "user", "content": "Кто был первым смотрителем маяка Данмор?"}], passages=LIGHTHOUSES
    )
    text = OfflineProvider().generate(request).text
    assert text.startswith("Вот что я нашёл в статье «Dunmore Lighthouse»")
    assert "Elias Brannock" in text and text.endswith("[2]")
    spanish = GenerationRequest(
        messages=[{"role": "user", "content": "¿Cuándo se encendió por primera vez el faro de Harwick?"}],
        passages=list(reversed(LIGHTHOUSES)),
    )
    assert "1847" in OfflineProvider().generate(spanish).text


def test_a_passage_in_another_script_is_matched_by_its_names_not_by_a_neighbours_common_words():
    """A Russian question shares a common word ("аромат") with a Russian passage on another subject
    and only a name with the English one that answers it: the name wins (the words cited the kvass)."""
    tea = Passage(
        article_title="Kettering black tea",
        text="Kettering black tea is grown on terraces in the Nilgreen hills. The leaves are dried over "
        "cinnamon wood, which gives the tea its sweet smoky aroma.",
    )
    kvass = Passage(
        article_title="Хлебный квас",
        text="Квас из ржаных сухарей настаивают двое суток. Для аромата в него добавляют листья смородины.",
    )
    request = GenerationRequest(
        messages=[{"role": "user", "content": "Почему у чая Кеттеринг дымный аромат?"}], passages=[kvass, tea]
    )
    assert "cinnamon wood" in OfflineProvider().generate(request).text


def test_the_passage_titled_by_the_questions_subject_is_cited_over_a_neighbour_naming_it():
    volcanoes = [
        Passage(
            article_title="Mount Serrik",
            text="Mount Serrik, on the same island as Mount Tarrak, is a shield volcano that erupts quietly "
            "every few decades. Its lava flows created the black sand beaches of the south coast.",
        ),
        Passage(
            article_title="Mount Tarrak",
            text="Mount Tarrak is a stratovolcano on the island of Ossel. Its last eruption, in 1767, buried "
            "the village of Kalda under ash.",
        ),
    ]
    request = GenerationRequest(
        messages=[{"role": "user", "content": "Какую деревню засыпало пеплом при извержении вулкана Таррак?"}],
        passages=volcanoes,
    )
    assert "Kalda" in OfflineProvider().generate(request).text

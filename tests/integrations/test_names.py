"""Names that survive translation (integrations/ai/names.py): the same key in both scripts, only for names,
and a share that counts how many of the question's names a passage holds."""

from __future__ import annotations

import pytest

from integrations.ai.names import name_keys, shared_share, skeleton


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Harwick", "Харвик"),
        ("Calder", "Колдер"),
        ("Osterby", "Остерби"),
        ("Quillon", "Квиллон"),
        ("Varnholt", "Варнхольта"),  # genitive: the ending is cut
        ("Dunraith", "Данрайт"),
        ("Vellberg", "Фельберга"),
        ("Fenn", "Фенн"),
    ],
)
def test_a_name_reads_the_same_in_both_scripts(latin, cyrillic):
    assert skeleton(latin) == skeleton(cyrillic)


def test_different_names_stay_apart():
    assert skeleton("Fenn") != skeleton("Ивана")  # one opens with a vowel
    assert skeleton("Vell") != skeleton("Выхухоль")
    assert skeleton("Harwick") != skeleton("Dunmore")


def test_only_names_and_long_numbers_are_keys():
    # The question's first word opens a sentence; lowercase words are not names; "3" is too short.
    assert name_keys("Кто основал обсерваторию в Кестхее в 1871 году? Спутник 3", sentence_initial=False) == {
        "kst",
        "1871",
    }
    # A passage's sentence-initial name counts, its "The"/"Its" do not.
    assert name_keys("Keszthely lies west. The observatory. Its dome.", sentence_initial=True) == {"kstl"}


def test_the_share_of_the_questions_names_a_passage_holds():
    question = name_keys("Чем Марта Квиллон покрывала скрипки Данмора?", sentence_initial=False)
    passage = name_keys("Marta Quillon varnished her violins with larch sap.", sentence_initial=True)
    assert shared_share(question, passage) == pytest.approx(2 / 3)
    # A short key matches only whole; three letters or more match a longer key they start.
    assert shared_share({"kst"}, {"kstl"}) == 1.0
    assert shared_share({"vn"}, {"vnk"}) == 0.0
    assert shared_share(set(), {"kstl"}) == 0.0

"""Hybrid's names stage over fused rows (knowledge/fusion.py `rescore`): a passage in another language
gains by the names it shares with the question, a provisional row (past the distance ceiling) lives
only by one, and a passage in the question's own language is left to its words."""

from __future__ import annotations

import pytest

from knowledge import fusion

COLUMNS = {"title": 1, "heading": 2, "text": 3, "score": 4, "language": 5, "provisional": 6}


def row(pk, title, text, score, language, provisional=False):
    return (pk, title, title, text, score, language, provisional)


def test_names_lift_and_keep_passages_in_another_language_only():
    keys = fusion.question_names("Кто основал обсерваторию в Кестхее?")
    rows = [
        row(1, "Обсерватория Кедровска", "Обсерваторию в Кедровске основал купец.", 0.20, "ru"),
        row(2, "Keszthely observatory", "Founded in 1871 by Count Andor Festetics.", 0.0, "en", provisional=True),
        row(3, "Warsaw Museum of Crafts", "The museum opened in 1888.", 0.0, "en", provisional=True),
        row(4, "Обсерватория Кестхея", "Кестхей: обсерватория на холме.", 0.10, "ru"),
    ]
    out = fusion.rescore(rows, keys=keys, question_language="ru", k=10, columns=COLUMNS)
    assert [r[0] for r in out] == [2, 1, 4]  # the Warsaw museum shares no name: dropped
    assert out[0][4] == pytest.approx(fusion.NAME_WEIGHT)
    assert out[2][4] == pytest.approx(0.10)  # same language: its words already counted the name


def test_the_stage_keeps_k_rows():
    keys = {"hrvk"}
    rows = [row(i, "Harwick", "Harwick lighthouse.", 0.1 * i, "en") for i in range(5)]
    out = fusion.rescore(rows, keys=keys, question_language="ru", k=3, columns=COLUMNS)
    assert [r[0] for r in out] == [4, 3, 2]

"""Field mapping: our typed values → Kommo's custom_fields_values, per field type, validated first."""

from datetime import UTC, date, datetime

import pytest

from integrations.kommo.exceptions import FieldValueInvalid
from integrations.kommo.fields import FieldDefinition, field_value

ENUMS = [{"id": 4501, "value": "Hot"}, {"id": 4502, "value": "Cold"}]


def values(kind, value, **definition):
    return field_value(FieldDefinition(type=kind, id=3001, name="F", **definition), value)["values"]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("text", " Budget 5k ", [{"value": "Budget 5k"}]),
        ("textarea", "two\nlines", [{"value": "two\nlines"}]),
        ("streetaddress", "Av. Paulista, 1000", [{"value": "Av. Paulista, 1000"}]),
        ("url", "acme.com/pricing", [{"value": "https://acme.com/pricing"}]),
        ("numeric", "1 234,5", [{"value": 1234.5}]),
        ("numeric", 42, [{"value": 42}]),
        ("price", "R$ 5.000", [{"value": 5000}]),
        ("checkbox", "да", [{"value": True}]),
        ("checkbox", False, [{"value": False}]),
        ("select", "hot", [{"enum_id": 4501}]),
        ("radiobutton", 4502, [{"enum_id": 4502}]),
        ("multiselect", ["Hot", "4502", "hot"], [{"enum_id": 4501}, {"enum_id": 4502}]),
        ("date", "2026-01-01", [{"value": 1767225600}]),
        ("date", date(2026, 1, 1), [{"value": 1767225600}]),
        ("date_time", datetime(2026, 1, 1, 12, 0, tzinfo=UTC), [{"value": 1767268800}]),
        ("birthday", "01.01.2026", [{"value": 1767225600}]),
    ],
)
def test_each_type_maps_to_kommos_shape(kind, value, expected):
    assert values(kind, value, enums=ENUMS) == expected


def test_multitext_phone_and_email_with_their_codes():
    phone = field_value(
        FieldDefinition(type="multitext", code="PHONE"), {"value": "+55 11 99999-0000", "enum_code": "mob"}
    )
    assert phone == {"field_code": "PHONE", "values": [{"value": "+55 11 99999-0000", "enum_code": "MOB"}]}
    email = field_value(FieldDefinition(type="multitext", code="EMAIL"), "ana@example.com")
    assert email["values"] == [{"value": "ana@example.com", "enum_code": "WORK"}]


def test_none_clears_the_field():
    assert field_value(FieldDefinition(type="text", id=7), None) == {"field_id": 7, "values": None}


@pytest.mark.parametrize(
    ("kind", "value", "definition"),
    [
        ("select", "Warm", {"enums": ENUMS}),
        ("numeric", "lots", {}),
        ("numeric", True, {}),
        ("checkbox", "maybe", {}),
        ("date", "next week", {}),
        ("date", "31.02.2026", {}),
        ("url", "javascript:alert(1)", {}),
        ("legal_entity", {"name": "ACME"}, {}),
        ("smart_address", "x", {}),
        ("no_such_type", "x", {}),
        ("text", {"nested": 1}, {}),
    ],
)
def test_values_that_do_not_fit_are_clear_errors(kind, value, definition):
    with pytest.raises(FieldValueInvalid):
        values(kind, value, **definition)


def test_multitext_refuses_a_bad_email_phone_or_code():
    for code, value in (
        ("EMAIL", "not-an-email"),
        ("PHONE", "call me"),
        ("PHONE", {"value": "+1 555 0100", "enum_code": "PAGER"}),
    ):
        with pytest.raises(FieldValueInvalid):
            field_value(FieldDefinition(type="multitext", code=code), value)

"""The update-rules engine against the local Kommo (real HTTP): what the customer says reaches the
lead's fields after the AI turn, only-if-empty and equal values leave Kommo alone, Kommo's refusals
show as failed writes, undo puts the old value back (and refuses once someone changed the field), and
no model call is made when the agent has nothing it may write."""

from __future__ import annotations

import pytest

from agent_platform.tenancy import workspace_scope
from automations.exceptions import CrmWriteFailed, FieldChangedSinceWrite, FieldWriteNotUndoable
from automations.models import FieldWrite
from automations.services import field_write_undo
from billing.models import UsageEvent
from conversations.models import Message
from integrations.ai import services as ai
from tests.automations.rules_setup import rules_setup, trace_step, unix
from tests.integrations.kommo.conftest import account, connected, kommo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(kommo, account, connected, workspace, owner):  # noqa: F811 (fixtures)
    return rules_setup(kommo, account, connected, workspace, owner)


def writes(setup) -> list[FieldWrite]:
    with workspace_scope(setup.workspace.pk):
        return list(FieldWrite.objects.order_by("id"))


def rule_calls(setup) -> int:
    with workspace_scope(setup.workspace.pk):
        return UsageEvent.objects.filter(purpose="update_rules").count()


def test_an_enum_and_a_date_reach_the_lead_in_one_patch(setup):
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date")
    patches = setup.lead_patches()
    reply = setup.customer_says("I found you on Instagram. Please call me back on 15.01.2027")

    source = {e["value"]: e["id"] for e in setup.fields["Source"].enums}
    assert setup.lead_values("Source")[0]["enum_id"] == source["Instagram"]
    assert setup.lead_values("Follow-up date")[0]["value"] == unix("2027-01-15")
    assert setup.lead_patches() == patches + 1  # both fields in one PATCH
    rows = writes(setup)
    assert [(w.field_name, w.status, w.old_value, w.extracted) for w in rows] == [
        ("Source", "written", None, "Instagram"),
        ("Follow-up date", "written", None, "2027-01-15"),
    ]
    assert rows[0].new_value == [{"enum_id": source["Instagram"]}] and rows[0].message_id == reply.pk
    assert "Instagram" in rows[0].quote and rows[0].confidence > 0.5
    step = trace_step(reply)
    assert [a["field"] for a in step["applied"]] == ["Source", "Follow-up date"] and step["failed"] == []
    assert reply.status != Message.Status.FAILED and reply.text


def test_only_if_empty_leaves_a_filled_field_alone(setup):
    setup.rule("Source", "Source", overwrite="if_empty")
    website = next(e["id"] for e in setup.fields["Source"].enums if e["value"] == "Website")
    setup.set_lead_field("Source", [{"enum_id": website}])
    patches = setup.lead_patches()

    reply = setup.customer_says("I found you on Instagram")
    setup.customer_says("Yes, Instagram, as I said")

    assert setup.lead_values("Source")[0]["enum_id"] == website
    assert setup.lead_patches() == patches
    rows = writes(setup)
    assert [(w.status, w.error, w.old_value) for w in rows] == [
        ("skipped", "field already filled", [{"enum_id": website}])
    ]
    assert trace_step(reply)["skipped"][0]["why"] == "field already filled"


def test_an_equal_value_is_not_written_again(setup):
    setup.rule("Source", "Source")
    instagram = next(e["id"] for e in setup.fields["Source"].enums if e["value"] == "Instagram")
    setup.set_lead_field("Source", [{"enum_id": instagram}])
    patches = setup.lead_patches()

    reply = setup.customer_says("I found you on Instagram")

    assert setup.lead_patches() == patches and writes(setup) == []
    assert trace_step(reply)["unchanged"] == ["Source"]


def test_undo_restores_the_old_value_and_refuses_after_a_change(setup, owner):
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date")
    website = next(e["id"] for e in setup.fields["Source"].enums if e["value"] == "Website")
    setup.set_lead_field("Source", [{"enum_id": website}])
    setup.customer_says("I found you on Instagram. Call me back on 2027-01-15")
    source, date = writes(setup)

    with workspace_scope(setup.workspace.pk):
        undone = field_write_undo(write=source, user=owner)
        assert (undone.status, undone.undone_by) == ("undone", owner) and undone.undone_at
        assert setup.lead_values("Source")[0]["enum_id"] == website
        with pytest.raises(FieldWriteNotUndoable):
            field_write_undo(write=undone, user=owner)

        setup.set_lead_field("Follow-up date", [{"value": unix("2027-02-01")}])  # a manager changed it in Kommo
        with pytest.raises(FieldChangedSinceWrite):
            field_write_undo(write=date, user=owner)
        date.refresh_from_db()
    assert date.status == "written" and setup.lead_values("Follow-up date")[0]["value"] == unix("2027-02-01")

    # The customer's words are read again at the next turn: the undone value is not written back.
    setup.customer_says("thanks")
    assert setup.lead_values("Source")[0]["enum_id"] == website


def test_undo_of_a_first_value_clears_the_field(setup, owner):
    setup.rule("Call back on", "Follow-up date")
    setup.customer_says("Call me back on 2027-01-15")
    (write,) = writes(setup)
    with workspace_scope(setup.workspace.pk):
        field_write_undo(write=write, user=owner)
    assert setup.lead_values("Follow-up date") is None


def test_kommo_refusing_the_undo_leaves_the_write_in_place(setup, owner):
    setup.rule("Call back on", "Follow-up date")
    setup.customer_says("Call me back on 2027-01-15")
    (write,) = writes(setup)
    setup.kommo.fail("403", times=None, path_prefix="/api/v4/leads")
    with workspace_scope(setup.workspace.pk), pytest.raises(CrmWriteFailed):
        field_write_undo(write=write, user=owner)
    write.refresh_from_db()
    assert write.status == "written" and setup.lead_values("Follow-up date")[0]["value"] == unix("2027-01-15")


def test_a_field_deleted_in_kommo_after_the_sync_shows_as_failed(setup):
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date")
    with setup.kommo.lock:  # deleted in Kommo; our synced copy does not know yet
        del setup.account.custom_fields["leads"][setup.fields["Follow-up date"].kommo_id]

    reply = setup.customer_says("I found you on Instagram. Call me back on 2027-01-15")

    rows = writes(setup)
    assert [w.status for w in rows] == ["failed", "failed"]  # one PATCH: Kommo took neither
    assert "not a valid choice" in rows[0].error and "custom_fields_values" in rows[0].error
    assert setup.lead_values("Source") is None
    assert len(trace_step(reply)["failed"]) == 2 and reply.status != Message.Status.FAILED
    setup.customer_says("Instagram, as I said")  # the same failure again: not recorded twice
    assert len(writes(setup)) == 2


def test_a_value_the_field_cannot_take_is_skipped_with_the_reason(setup):
    setup.rule("Budget", "Budget comment")
    with workspace_scope(setup.workspace.pk):  # the field became one the platform cannot write
        from integrations.kommo.models import KommoField

        KommoField.objects.filter(pk=setup.fields["Budget comment"].pk).update(type="legal_entity")
    patches = setup.lead_patches()

    reply = setup.customer_says("Our budget is $5000")

    (row,) = writes(setup)
    assert (row.status, row.extracted) == ("skipped", 5000) and "cannot be written" in row.error
    assert setup.lead_patches() == patches
    assert "cannot be written" in trace_step(reply)["skipped"][0]["why"]


def test_no_model_call_without_a_rule_the_agent_may_write(setup):
    reply = setup.customer_says("I found you on Instagram")  # no rules at all
    assert trace_step(reply)["why"] == "the agent has no active update rules"
    setup.rule("Source", "Source", writable=False)

    reply = setup.customer_says("I found you on Instagram")

    assert rule_calls(setup) == 0 and writes(setup) == [] and setup.lead_values("Source") is None
    assert trace_step(reply)["skipped"] == [
        {"rule": "Source", "why": "the agent may not write this field (CRM access)"}
    ]


def test_a_crash_in_the_rules_never_fails_the_reply(setup, monkeypatch):
    setup.rule("Source", "Source")

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("automations.services.engine.update_rules_apply", broken)
    reply = setup.customer_says("I found you on Instagram")
    assert reply.status != Message.Status.FAILED and reply.text
    assert trace_step(reply)["failed"] == [{"error": "The update rules did not run: RuntimeError"}]


def test_an_unsure_value_is_skipped_and_the_repeated_skip_recorded_once(setup, monkeypatch):
    """The model's own confidence gates the write (a real provider's answer, stood in for here)."""
    real = ai.generate

    def unsure(**kwargs):
        result = real(**kwargs)
        result.parsed = {key: {**answer, "confidence": 0.3} for key, answer in result.parsed.items()}
        return result

    rule = setup.rule("Source", "Source")
    monkeypatch.setattr("automations.services.update_rules.generate", unsure)
    setup.customer_says("I found you on Instagram")
    setup.customer_says("Instagram, yes")
    (row,) = writes(setup)
    assert (row.status, row.error, row.rule_id) == ("skipped", "the AI was not sure enough (30%)", rule.pk)
    assert setup.lead_values("Source") is None


def test_a_rule_the_agent_may_not_write_is_skipped_while_the_others_write(setup):
    setup.rule("Source", "Source")
    setup.rule("Call back on", "Follow-up date", writable=False)
    reply = setup.customer_says("I found you on Instagram. Call me back on 2027-01-15")
    assert [w.field_name for w in writes(setup)] == ["Source"] and rule_calls(setup) == 1
    assert setup.lead_values("Follow-up date") is None
    assert trace_step(reply)["skipped"] == [
        {"rule": "Call back on", "why": "the agent may not write this field (CRM access)"}
    ]

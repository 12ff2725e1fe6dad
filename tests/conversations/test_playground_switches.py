"""A playground test may ignore working hours and skip approval; a real channel never does. And each
AI reply records the model that answered and the one it stood in for."""

import pytest

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Message
from tests.conversations.flow import process

pytestmark = pytest.mark.django_db

CLOSED = {"mon": []}  # a schedule with no open window: closed at every hour of every day
SWITCHES_ON = services.PlaygroundSwitches(ignore_working_hours=True, skip_approval=True)


@pytest.fixture
def strict_agent(make_agent):
    """Closed now, answering outside hours with a fallback message, and every reply held for approval."""
    return make_agent(
        working_hours=CLOSED,
        outside_hours_action="fallback",
        fallback_message="We are closed now, we will answer tomorrow.",
        approval_required=True,
    )


def play(workspace, agent, owner, text, switches=None):
    with workspace_scope(workspace.pk):
        message = services.playground_message(agent=agent, user=owner, text=text, switches=switches)
    return message, process(workspace, message.conversation_id)


def steps(reply):
    return {step["step"]: step for step in reply.trace}


def test_with_the_switches_on_the_agent_answers_and_sends_and_the_trace_says_why(workspace, owner, strict_agent):
    _, reply = play(workspace, strict_agent, owner, "Do you deliver to Madrid?", SWITCHES_ON)
    assert reply.status == Message.Status.SENDING
    assert "closed now" not in reply.text
    trace = steps(reply)
    assert trace["working_hours"]["decision"] == "ignored" and "playground test" in trace["working_hours"]["why"]
    assert trace["approval"]["decision"] == "skipped"
    assert reply.trace[-1]["decision"] == "send"


def test_with_the_switches_off_the_agent_keeps_its_rules(workspace, owner, strict_agent):
    _, reply = play(workspace, strict_agent, owner, "Do you deliver to Madrid?", services.PlaygroundSwitches())
    assert reply.status == Message.Status.PENDING_APPROVAL
    assert reply.text == "We are closed now, we will answer tomorrow."
    assert "working_hours" not in steps(reply) and "approval" not in steps(reply)


def test_silent_outside_hours_is_skipped_only_without_the_switch(workspace, owner, make_agent):
    agent = make_agent(working_hours=CLOSED, outside_hours_action="silent")
    message, reply = play(workspace, agent, owner, "Hello?")
    assert reply is None
    message.refresh_from_db()
    assert message.status == Message.Status.SKIPPED and "working hours" in message.status_reason
    _, reply = play(workspace, agent, owner, "Hello?", services.PlaygroundSwitches(ignore_working_hours=True))
    assert reply.status == Message.Status.SENDING and steps(reply)["working_hours"]["decision"] == "ignored"


def test_a_real_channel_message_is_still_held_whatever_it_carries(workspace, strict_agent):
    with workspace_scope(workspace.pk):
        message, _ = services.ingest_message(
            workspace=workspace,
            channel="api",
            external_chat_id="chat-9",
            external_message_id="m-9",
            text="Do you deliver to Madrid?",
            metadata={"test": {"ignore_working_hours": True, "skip_approval": True}},
        )
    reply = process(workspace, message.conversation_id)
    assert reply.status == Message.Status.PENDING_APPROVAL
    assert reply.text == "We are closed now, we will answer tomorrow."


def test_the_chat_request_carries_the_switches(owner_client, workspace, strict_agent, settings):
    settings.PLAYGROUND_WAIT_SECONDS = 0
    url = f"/api/playground/{strict_agent.pk}/chat"
    sent = owner_client.post(url, {"text": "Hi", "ignore_working_hours": True, "skip_approval": True}, format="json")
    assert sent.status_code == 202, sent.json()
    assert sent.json()["message"]["metadata"] == {"test": {"ignore_working_hours": True, "skip_approval": True}}
    reply = process(workspace, sent.json()["conversation"]["id"])
    assert reply.status == Message.Status.SENDING
    plain = owner_client.post(url, {"text": "Hi"}, format="json").json()  # the API's default: the agent's rules
    assert plain["message"]["metadata"] == {"test": {"ignore_working_hours": False, "skip_approval": False}}


def test_a_reply_records_the_model_that_stood_in_for_the_agents(owner_client, workspace, make_agent):
    make_agent(model_provider="openai", model_id="gpt-4o-mini")  # no OpenAI key anywhere
    with workspace_scope(workspace.pk):
        message, _ = services.ingest_message(
            workspace=workspace, channel="api", external_chat_id="c", external_message_id="m", text="Hi"
        )
    reply = process(workspace, message.conversation_id)
    detail = owner_client.get(f"/api/conversations/{message.conversation_id}").json()
    shown = next(m for m in detail["messages"] if m["id"] == reply.pk)
    assert shown["metadata"]["model"] == {
        "provider": "offline",
        "model_id": "offline-extractive",
        "name": "Offline (extractive, no network)",
        "substituted_for": {"provider": "openai", "model_id": "gpt-4o-mini", "name": "GPT-4o mini"},
        "reason": "no_credentials",
    }
    generate = steps(reply)["generate"]
    assert (generate["substituted_for"], generate["substitution"]) == ("openai:gpt-4o-mini", "no_credentials")


def test_a_reply_of_the_chosen_model_records_no_substitution(workspace, owner, make_agent):
    _, reply = play(workspace, make_agent(), owner, "Hi")
    assert reply.metadata["model"] == {
        "provider": "offline",
        "model_id": "offline-extractive",
        "name": "Offline (extractive, no network)",
    }

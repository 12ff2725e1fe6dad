"""What starts a chain besides a person or a trigger: an AI reply sent, the lead entering a stage."""

import pytest

from agent_platform.tenancy import workspace_scope
from automations.models import Chain, ChainRun
from automations.services import AutomationEngine, chain_start
from tests.automations.factories import ChainFactory, ChainStepFactory
from tests.conversations.factories import AIReplyFactory, ConversationFactory

pytestmark = pytest.mark.django_db


def _chain(workspace, **fields):
    chain = ChainFactory(workspace=workspace, **fields)
    ChainStepFactory(chain=chain, workspace=workspace)
    return chain


def test_an_ai_reply_starts_the_chains_of_its_agent_and_of_every_agent(workspace, make_agent):
    agent, other = make_agent(), make_agent(name="Sales")
    mine = _chain(workspace, start_on=Chain.StartOn.AI_REPLY, agent=agent)
    everyones = _chain(workspace, start_on=Chain.StartOn.AI_REPLY)
    _chain(workspace, start_on=Chain.StartOn.AI_REPLY, agent=other)
    _chain(workspace, start_on=Chain.StartOn.AI_REPLY, is_active=False)
    _chain(workspace, start_on=Chain.StartOn.MANUAL)
    conversation = ConversationFactory(workspace=workspace, agent=agent)
    reply = AIReplyFactory(conversation=conversation)
    with workspace_scope(workspace.pk):
        outcome = AutomationEngine().reply_sent(conversation=conversation, message=reply)
        again = AutomationEngine().reply_sent(conversation=conversation, message=reply)
        runs = set(ChainRun.objects.values_list("chain_id", "started_by"))
    assert sorted(outcome["started"]) == sorted([mine.pk, everyones.pk])
    assert again["started"] == []  # each keeps its running run
    assert runs == {(mine.pk, "ai_reply"), (everyones.pk, "ai_reply")}


def test_a_lead_entering_a_stage_stops_the_old_runs_and_starts_that_stages_chains(workspace):
    old = _chain(workspace, stop_on=[Chain.StopOn.STAGE_CHANGED])
    won = _chain(workspace, start_on=Chain.StartOn.STAGE, start_pipeline_id=7, start_stage_id=142)
    any_pipeline = _chain(workspace, start_on=Chain.StartOn.STAGE, start_stage_id=142)
    _chain(workspace, start_on=Chain.StartOn.STAGE, start_pipeline_id=8, start_stage_id=142)
    _chain(workspace, start_on=Chain.StartOn.STAGE, start_pipeline_id=7, start_stage_id=143)
    conversation = ConversationFactory(workspace=workspace, pipeline_id=7, stage_id=141)
    with workspace_scope(workspace.pk):
        running = chain_start(chain=old, conversation=conversation, started_by="manual")
        conversation.stage_id = 142
        conversation.save()
        AutomationEngine().conversation_changed(conversation=conversation, change="stage_changed")
        running.refresh_from_db()
        started = set(ChainRun.objects.filter(status="active").values_list("chain_id", flat=True))
    assert running.status == ChainRun.Status.STOPPED
    assert started == {won.pk, any_pipeline.pk}
